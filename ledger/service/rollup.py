"""Roll-up of one product from the anchored declarations this ledger holds: footprint, provenance, what-if
scenarios and the draft PACT footprint the chain leader signs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from ledger.chain_port import ChainPort
from ledger.errors import AccessDeniedError, SupplyChainError, UnknownProductError
from ledger.graph.build import SupplyChain, build_supply_chain
from ledger.graph.model import DeclaredProduct, EmissionFactor
from ledger.rollup.components import EXCLUDING_COLUMNS
from ledger.rollup.engine import RollupResult, compute_footprints
from ledger.rollup.incremental import Change, apply_changes
from ledger.rollup.report import ProductReport, report, to_product_footprint
from ledger.service.audit import current_row
from ledger.service.supply_chain import load_declared_products, stored_payload
from ledger.service.visibility import Viewer, access_to
from ledger.storage.keyring import Keyring


@dataclass(frozen=True)
class Scenario:
    """What-if: scale the own emissions of every product organization `org` declares by `scale`."""

    org: str
    scale: float

    @classmethod
    def parse(cls, spec: str) -> Scenario:
        """``ORG=FACTOR`` (e.g. ``acme-steel=0.8``)."""
        org, _, text = spec.partition("=")
        try:
            scale = float(text)
        except ValueError:
            raise SupplyChainError(f"scenario {spec!r} is not ORG=FACTOR (e.g. acme-steel=0.8)") from None
        if not org or scale < 0 or scale != scale:
            raise SupplyChainError(f"scenario {spec!r} needs an organization and a factor >= 0 (e.g. acme-steel=0.8)")
        return cls(org, scale)

    @property
    def spec(self) -> str:
        """The ``ORG=FACTOR`` text."""
        return f"{self.org}={self.scale:g}"


@dataclass(frozen=True)
class RollupRequest:
    """A roll-up of `product` over the given secondary factors, with optional scenarios and draft."""

    product: str
    factors: list[EmissionFactor] = field(default_factory=list)
    factors_name: str | None = None
    scenarios: list[Scenario] = field(default_factory=list)
    draft: bool = False
    totals: str | None = None  # PCF totals rule (ledger.pact.totals); None: the default
    convention: str | None = None  # contribution convention: direct or upstream; None: direct


@dataclass
class RollupOutcome:
    """The product's report, the scenario results and (when asked) the draft footprint."""

    report: ProductReport
    scenarios: list[dict[str, Any]]
    draft: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: the report, plus `scenarios` when any were asked."""
        data = self.report.as_dict()
        if self.scenarios:
            data["scenarios"] = self.scenarios
        return data


def require_rollup_right(session: Session, product: str, viewer: Viewer) -> None:
    """A caller of the API or the pages may roll up `product` only when it may read the product's current declaration
    in full (its own, granted, requested and fulfilled, or assigned to audit), or as a regulator: a roll-up shows the
    product's footprint and its upstream contributions, which its declarant has not shared with everyone."""
    if "regulator" in viewer.roles:
        return
    row = current_row(session, product)
    if row is None:
        raise UnknownProductError(f"no current anchored declaration of product {product!r}; check the product id")
    if not access_to(session, row, viewer).full:
        raise AccessDeniedError(
            f"organization {viewer.org!r} may not roll up {product!r}: it may not read the product's declaration; "
            "ask its declarant for access (a footprint request or a grant)"
        )


def rollup_product(session: Session, keyring: Keyring, chain: ChainPort, request: RollupRequest) -> RollupOutcome:
    """Build the supply chain from every anchored declaration, solve all products, report `request.product`."""
    supply = build_supply_chain(load_declared_products(session, keyring, chain), request.factors)
    position = supply.index.get(request.product)
    if position is None or not isinstance(supply.nodes[position], DeclaredProduct):
        raise UnknownProductError(
            f"no current anchored declaration of product {request.product!r}; check the product id"
        )
    result = compute_footprints(supply.data, isolate_failures=True)  # one broken product fails only its consumers
    parameters = {"engine": result.method, "factors": request.factors_name}
    found = report(
        supply, result, request.product, parameters=parameters, totals=request.totals, convention=request.convention
    )
    scenarios = [run_scenario(supply, result, request.product, scenario) for scenario in request.scenarios]
    draft = None
    if request.draft:
        row = current_row(session, request.product)
        if row is None:
            raise UnknownProductError(f"no current anchored declaration of product {request.product!r} to draft from")
        draft = to_product_footprint(stored_payload(session, keyring, row), found, supply)
    return RollupOutcome(found, scenarios, draft)


def run_scenario(supply: SupplyChain, result: RollupResult, product: str, scenario: Scenario) -> dict[str, Any]:
    """The product's footprint before and after scaling `scenario.org`'s own emissions (incremental update)."""
    position = supply.index[product]
    before = float(result.footprint_matrix[position, list(EXCLUDING_COLUMNS)].sum())
    changes = [
        Change(i, supply.data.direct_matrix[i] * scenario.scale)
        for i in range(len(supply.nodes))
        if supply.supplier_of(i) == scenario.org
    ]
    if not changes:
        raise SupplyChainError(
            f"scenario {scenario.spec!r}: organization {scenario.org!r} declares nothing in this supply chain"
        )
    updated = apply_changes(result, supply.data.direct_matrix, changes)
    after = float(updated.result.footprint_matrix[position, list(EXCLUDING_COLUMNS)].sum())
    return {
        "scenario": scenario.spec,
        "before": before,
        "after": after,
        "change": after - before,
        "recomputed_products": int(updated.affected.size),
    }
