"""Per-product results of a roll-up: components, PACT totals, quality aggregates, completeness, provenance, and
the PACT v3 ProductFootprint a chain leader can sign for the downstream product."""

from __future__ import annotations

import copy
import uuid
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import numpy as np

from ledger.canonical import hex32, keccak_canonical
from ledger.errors import SupplyChainError
from ledger.graph.build import Gap, SupplyChain
from ledger.graph.model import COMPONENT_FIELDS, DeclaredProduct, EmissionFactor
from ledger.merkle import MerkleTree, standard_leaf
from ledger.pact.totals import totals_rule
from ledger.rollup.components import COMPONENTS, EXCLUDING_UPTAKE, INDEX, total_weights
from ledger.rollup.contributions import contributions, upstream_of
from ledger.rollup.engine import ENGINE_VERSION, RollupResult
from ledger.rollup.structure import consumers_closure

PROVENANCE_TAG = bytes(keccak_canonical("tanji.provenance.input.v1"))


@dataclass(frozen=True)
class ProductReport:
    """Everything about one product's rolled-up footprint."""

    product_id: str
    components: dict[str, float]
    pcf_excluding_biogenic_uptake: float
    pcf_including_biogenic_uptake: float
    primary_data_share: float
    verified_share: float  # percent of the gross emissions covered by a standing positive attestation
    dqr: dict[str, float]
    secondary_sources: list[dict[str, str]]
    characterization: list[str]
    complete: bool
    gaps: list[Gap]
    needs_reevaluation: list[str]
    hotspots: list[dict[str, Any]]
    by_supplier: dict[str, float]
    by_tier: dict[int, float]
    provenance: dict[str, Any]
    residual: float
    totals_rule: str = ""
    contribution_convention: str = "direct"

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return asdict(self)


def decimal_text(value: float) -> str:
    """A PACT decimal string (plain digits, 6 decimals, no exponent)."""
    text = f"{Decimal(repr(value)).quantize(Decimal('0.000001')):f}"
    return "0" if text in ("-0.000000", "0.000000") else text.rstrip("0").rstrip(".") if "." in text else text


def report(
    chain: SupplyChain,
    result: RollupResult,
    product_id: str,
    *,
    parameters: dict[str, Any],
    totals: str | None = None,
    convention: str | None = None,
) -> ProductReport:
    """The report of `product_id` (must be a declared product of `chain`).

    `totals` names the PCF totals rule (ledger.pact.totals) and `convention` the contribution convention
    (ledger.rollup.contributions); when not given they are read from `parameters` ("totalsRule", "contributions",
    as an audit replays a recorded roll-up), else the defaults. A product that needs a product that cannot be
    evaluated (see SupplyChain.failures, RollupResult.failures) raises that product's error, naming it."""
    rule = totals_rule(totals if totals is not None else parameters.get("totalsRule"))
    convention = convention or str(parameters.get("contributions", "direct"))
    parameters = {**parameters, "totalsRule": rule.id, "contributions": convention}
    position = chain.index[product_id]
    upstream = upstream_of(result, position)
    refuse_failed_inputs(chain, result, product_id, upstream)
    row = result.footprint_matrix[position]
    weights = total_weights(rule.excluding)
    excluding = float(row @ weights)
    including = float(row @ total_weights(rule.including))
    gross = float(sum(row[INDEX[name]] for name in EXCLUDING_UPTAKE))  # the quality columns' weight
    weight = gross if gross else 1.0
    gaps = [gap for gap in chain.gaps if chain.index.get(gap.consumer, -1) in set(upstream.tolist())]
    stale_positions = np.array([chain.index[p] for p in chain.stale], dtype=np.int64)
    reevaluate = consumers_closure(result.consumers, stale_positions) if stale_positions.size else np.array([], int)
    found = contributions(
        result,
        chain.data.direct_matrix,
        position,
        [chain.supplier_of(i) for i in range(len(chain.nodes))],
        weights=weights,
        convention=convention,
    )
    sources, characterization, inputs = set(), set(), []
    for p in upstream.tolist():
        node = chain.nodes[p]
        if isinstance(node, EmissionFactor):
            sources.add((node.source, node.version))
            inputs.append({"kind": "factor", "id": node.id, "version": node.version, "datasetHash": node.dataset_hash})
        else:
            sources.update(node.secondary_sources)
            characterization.update(node.characterization)
            inputs.append(
                {
                    "kind": "declaration",
                    "productId": node.product_id,
                    "declarationId": node.declaration_id,
                    "digest": node.digest,
                }
            )
    inputs.sort(key=lambda item: (item["kind"], item.get("productId", item.get("id", ""))))
    leaves = [standard_leaf(("bytes32", "bytes32"), (PROVENANCE_TAG, keccak_canonical(item))) for item in inputs]
    provenance = {
        "engine": ENGINE_VERSION,
        "parameters": parameters,
        "method": result.method,
        "inputs": inputs,
        "inputsRoot": hex32(MerkleTree.build(leaves).root) if leaves else None,
        "results": {c: decimal_text(float(row[INDEX[c]])) for c in COMPONENTS},
    }
    return ProductReport(
        product_id=product_id,
        components={c: float(row[INDEX[c]]) for c in COMPONENTS},
        pcf_excluding_biogenic_uptake=excluding,
        pcf_including_biogenic_uptake=including,
        primary_data_share=100.0 * float(row[INDEX["primaryEmissions"]]) / weight,
        verified_share=100.0 * float(row[INDEX["verifiedEmissions"]]) / weight,
        dqr={
            key: float(row[INDEX[f"{key}Weighted"]]) / weight
            for key in ("technologicalDQR", "geographicalDQR", "temporalDQR")
        },
        secondary_sources=[{"name": n, "version": v} for n, v in sorted(sources)],
        characterization=sorted(characterization),
        complete=not gaps,
        gaps=gaps,
        needs_reevaluation=sorted(
            chain.nodes[p].product_id for p in reevaluate.tolist() if p in set(upstream.tolist()) or p == position
        ),
        hotspots=[
            {
                "productId": chain.nodes[p].product_id,
                "supplier": chain.supplier_of(p),
                "kgCO2e": value,
                "share": value / found.total if found.total else 0.0,
            }
            for p, value in sorted(found.by_product.items(), key=lambda kv: -abs(kv[1]))[:10]
        ],
        by_supplier=found.by_supplier,
        by_tier=found.by_tier,
        provenance=provenance,
        residual=result.residual,
        totals_rule=rule.id,
        contribution_convention=convention,
    )


def refuse_failed_inputs(chain: SupplyChain, result: RollupResult, product_id: str, upstream: np.ndarray) -> None:
    """Raise the error of the first product (by id) in `upstream` that cannot be evaluated, naming it."""
    failed: dict[str, SupplyChainError] = {}
    for position in upstream.tolist():
        node_id = chain.nodes[position].product_id
        error = chain.failures.get(node_id) or result.failures.get(position)
        if error is not None:
            failed[node_id] = error
    if not failed:
        return
    culprit = product_id if product_id in failed else min(failed)
    error = failed[culprit]
    if culprit == product_id:
        raise type(error)(f"cannot roll up {product_id!r}: {error}") from error
    raise type(error)(
        f"cannot roll up {product_id!r}: it needs {culprit!r}, which cannot be evaluated: {error}"
    ) from error


def to_product_footprint(declared_payload: dict[str, Any], found: ProductReport, chain: SupplyChain) -> dict[str, Any]:
    """A new PACT v3 ProductFootprint for the downstream product with the rolled-up values, its BOM pinned to the
    upstream digests used and the provenance record in its Tanji extension; ready for the chain leader to sign."""
    payload = copy.deepcopy(declared_payload)
    payload["precedingPfIds"] = [declared_payload["id"]]
    payload["id"] = str(uuid.uuid4())
    payload["created"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    pcf = payload["pcf"]
    for component, field in COMPONENT_FIELDS.items():
        value = found.components[component]
        if value or field in pcf:
            pcf[field] = decimal_text(value)
    pcf["pcfExcludingBiogenicUptake"] = decimal_text(found.pcf_excluding_biogenic_uptake)
    pcf["pcfIncludingBiogenicUptake"] = decimal_text(found.pcf_including_biogenic_uptake)
    pcf["primaryDataShare"] = decimal_text(found.primary_data_share)
    pcf["dqi"] = {key: decimal_text(min(5.0, max(1.0, value))) for key, value in found.dqr.items()}
    if found.secondary_sources:
        pcf["secondaryEmissionFactorSources"] = found.secondary_sources
    if found.characterization:
        pcf["ipccCharacterizationFactors"] = found.characterization
    data = next(e["data"] for e in payload["extensions"] if e.get("dataSchema", "").endswith("data-model.json"))
    for line in data.get("billOfMaterials", []):
        position = chain.index.get(line["productId"])
        node = chain.nodes[position] if position is not None else None
        if isinstance(node, DeclaredProduct):
            line["declarationId"], line["declarationDigest"] = node.declaration_id, node.digest
    data["provenance"] = found.provenance
    return payload
