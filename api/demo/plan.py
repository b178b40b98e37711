"""The demo's supply chain as data: organizations, products with their inputs, and the PACT v3 payloads.

Every input quantity and process emission is activity data of examples/battery/supply-chain.json; electricity and
natural gas are inputs priced by the shipped factor dataset (`ledger.factors.shipped`), bound product by product.
No footprint value is written here: `api.demo.engine_values` and the roll-up use case compute them.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
CHAIN_FILE = EXAMPLES / "battery" / "supply-chain.json"
TEMPLATE = EXAMPLES / "declarations" / "hot-rolled-coil.json"
PACK = "urn:tanji:tanji-motors:ev-battery-pack"
UNSET = "0"  # a pcf value before the engine fills it (payloads are never signed with it)


@dataclass(frozen=True)
class Organization:
    """A demo organization: handle, names, on-chain roles and what it is in the chain."""

    org: str
    name: str
    name_zh: str
    roles: tuple[str, ...]
    kind: str


@dataclass(frozen=True)
class ProductPlan:
    """A product an organization declares: its inputs per declared unit and its own process emissions."""

    org: str
    product_id: str
    name: str
    unit: str
    mass: str
    primary_share: str
    cpc: str  # UN CPC code
    inputs: dict[str, str]
    direct: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Correction:
    """A version with a data-entry mistake, revoked and superseded by the corrected one."""

    product_id: str
    mistake: dict[str, str]
    reason: str


@dataclass(frozen=True)
class DemoPlan:
    """The whole chain."""

    factor_dataset: str
    bindings: dict[str, str]  # input product id -> factor id of the shipped dataset
    organizations: list[Organization]
    products: list[ProductPlan]
    correction: Correction

    def product(self, product_id: str) -> ProductPlan:
        """The plan of `product_id`."""
        return next(p for p in self.products if p.product_id == product_id)

    def organization(self, org: str) -> Organization:
        """The organization `org`."""
        return next(o for o in self.organizations if o.org == org)


def load_plan(path: Path = CHAIN_FILE) -> DemoPlan:
    """Read the demo chain file."""
    data = json.loads(path.read_text(encoding="utf-8"))
    organizations = [
        Organization(o["org"], o["name"], o["nameZh"], tuple(o["roles"]), o["kind"]) for o in data["organizations"]
    ]
    products = [
        ProductPlan(
            org=p["org"],
            product_id=f"urn:tanji:{p['org']}:{p['product']}",
            name=p["name"],
            unit=p.get("unit", "kilogram"),
            mass=p.get("mass", "1"),
            primary_share=p["primaryDataShare"],
            cpc=p["cpc"],
            inputs=dict(p["inputs"]),
            direct=tuple((d["source"], d["amount"]) for d in p["direct"]),
        )
        for p in data["products"]
    ]
    fixed = data["correction"]
    correction = Correction(fixed["product"], dict(fixed["mistake"]), fixed["reason"])
    return DemoPlan(data["factorDataset"], {**data["grid"], **data["fuels"]}, organizations, products, correction)


def activity_payload(
    plan: DemoPlan, product: ProductPlan, *, declarant: str, dataset_hash: str, inputs: dict[str, str] | None = None
) -> dict[str, Any]:
    """A PACT v3 ProductFootprint with the Tanji extension (BOM, direct emissions, cited factors); pcf unset."""
    payload: dict[str, Any] = json.loads(TEMPLATE.read_text(encoding="utf-8"))
    organization = plan.organization(product.org)
    payload["id"] = str(uuid.uuid4())
    payload["companyName"] = f"{organization.name} ({organization.name_zh})"
    payload["companyIds"] = [f"urn:tanji:org:{product.org}"]
    payload["productIds"] = [product.product_id]
    payload["productNameCompany"] = product.name
    payload["productDescription"] = f"{product.name}; {organization.kind}"
    payload["productClassifications"] = [f"urn:pact:productclassification:un-cpc:{product.cpc}"]
    payload["comment"] = "Tanji demo: illustrative activity data; electricity and fuel priced by the shipped factors."
    pcf = payload["pcf"]
    pcf["declaredUnitOfMeasurement"], pcf["declaredUnitAmount"] = product.unit, "1"
    pcf["productMassPerDeclaredUnit"] = product.mass
    pcf["boundaryProcessesDescription"] = "Cradle-to-gate: own processes, purchased electricity and fuel, suppliers"
    name, _, version = plan.factor_dataset.partition("@")
    pcf["secondaryEmissionFactorSources"] = [{"name": name, "version": version}]
    for key in ("pcfExcludingBiogenicUptake", "pcfIncludingBiogenicUptake", "fossilGhgEmissions"):
        pcf[key] = UNSET
    pcf["primaryDataShare"] = product.primary_share
    used = inputs or product.inputs
    data = payload["extensions"][0]["data"]
    data["declarant"] = {"org": product.org, "address": declarant}
    data["billOfMaterials"] = [
        {"productId": input_id, "quantity": quantity, "unit": _unit_of(plan, input_id)}
        for input_id, quantity in used.items()
    ]
    data["directEmissions"] = [
        {"source": source, "component": "fossil", "amount": amount} for source, amount in product.direct
    ]
    data["emissionFactors"] = [
        {"id": plan.bindings[input_id], "version": version, "source": name, "datasetHash": dataset_hash}
        for input_id in used
        if input_id in plan.bindings
    ]
    data["dataQuality"]["primaryDataShare"] = product.primary_share
    return payload


def _unit_of(plan: DemoPlan, input_id: str) -> str:
    """The unit an input is counted in: kWh of electricity, MJ of fuel, else the supplier's declared unit."""
    if input_id.startswith("urn:tanji:grid:"):
        return "kilowatt hour"
    if input_id.startswith("urn:tanji:fuel:"):
        return "megajoule"
    supplier = plan.product(input_id)
    return "kilogram" if supplier.unit == "kilogram" else supplier.unit
