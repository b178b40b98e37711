"""Audit a rolled-up footprint: re-derive it from the anchored inputs its provenance names, verify every input
(signature, anchor, status, still current), the factors (dataset hash), the arithmetic (residual), and compare
every claimed value; each discrepancy names where it is."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from ledger.chain_port import ChainPort
from ledger.graph.build import build_supply_chain
from ledger.graph.model import COMPONENT_FIELDS, DeclaredProduct, EmissionFactor
from ledger.rollup.engine import compute_footprints
from ledger.rollup.report import report
from ledger.service.supply_chain import stored_payload
from ledger.service.verify_stored import verify_stored
from ledger.storage import repository
from ledger.storage.keyring import Keyring
from ledger.storage.tables import DeclarationRow

TOLERANCE = 5e-6  # claimed values are 6-decimal strings


@dataclass(frozen=True)
class Discrepancy:
    """One finding: where, and what is wrong."""

    location: str
    message: str


@dataclass
class AuditReport:
    """The audit of one product's rolled-up footprint."""

    product_id: str
    declaration_id: str | None = None
    inputs_verified: int = 0
    residual: float | None = None
    recomputed: dict[str, float] = field(default_factory=dict)
    discrepancies: list[Discrepancy] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """True when nothing was found."""
        return not self.discrepancies and self.declaration_id is not None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {**asdict(self), "passed": self.passed}


def current_row(session: Session, product_id: str) -> DeclarationRow | None:
    """The anchored, not superseded declaration of `product_id`."""
    query = select(DeclarationRow).where(
        col(DeclarationRow.product_id) == product_id,
        col(DeclarationRow.status) == "anchored",
        col(DeclarationRow.superseded_by).is_(None),
    )
    return session.exec(query).first()


def audit(
    session: Session, keyring: Keyring, chain: ChainPort, product_id: str, factors: list[EmissionFactor]
) -> AuditReport:
    """Audit `product_id` (see the module docstring)."""
    result = AuditReport(product_id)
    row = current_row(session, product_id)
    if row is None:
        result.discrepancies.append(Discrepancy(product_id, "no current anchored declaration of this product"))
        return result
    result.declaration_id = row.id
    payload = stored_payload(session, keyring, row)
    own = verify_stored(session, keyring, chain, row.id)
    if own is None or not own.valid:
        failure = own.first_failure if own else None
        result.discrepancies.append(Discrepancy(f"declaration {row.id}", f"does not verify: {failure}"))
    data = next((e.get("data", {}) for e in payload.get("extensions", []) if "provenance" in e.get("data", {})), None)
    if data is None:
        result.discrepancies.append(
            Discrepancy(
                f"declaration {row.id}",
                "carries no roll-up provenance; it is not a computed footprint (run `tanji rollup --draft`)",
            )
        )
        return result
    provenance = data["provenance"]
    cited: list[DeclaredProduct] = []
    for position, item in enumerate(provenance["inputs"]):
        where = f"provenance/inputs/{position}"
        if item["kind"] == "factor":
            _check_factor(item, factors, where, result)
            continue
        if item["digest"] == row.digest or item["productId"] == product_id:
            continue
        cited_row = repository.get_declaration(session=session, key=item["digest"])
        if cited_row is None:
            result.discrepancies.append(
                Discrepancy(where, f"input {item['productId']} digest {item['digest']} is not in this ledger")
            )
            continue
        check = verify_stored(session, keyring, chain, cited_row.id)
        if check is None or not check.valid:
            failure = check.first_failure if check else None
            result.discrepancies.append(
                Discrepancy(
                    where,
                    f"input {item['productId']} ({cited_row.id}) does not verify: {failure.name}: {failure.detail}"
                    if failure
                    else f"input {item['productId']} does not verify",
                )
            )
        newest = current_row(session, item["productId"])
        if newest is not None and newest.digest != item["digest"]:
            result.discrepancies.append(
                Discrepancy(
                    where,
                    f"input {item['productId']} cites {item['digest']} but the current declaration is {newest.digest}",
                )
            )
        result.inputs_verified += 1
        cited.append(DeclaredProduct.from_payload(stored_payload(session, keyring, cited_row), digest=cited_row.digest))
    root = DeclaredProduct.from_payload(payload, digest=row.digest)
    for line in root.inputs:
        named = next((i for i in provenance["inputs"] if i.get("productId") == line.product_id), None)
        if named and line.declaration_digest and named.get("digest") != line.declaration_digest:
            result.discrepancies.append(
                Discrepancy(
                    f"billOfMaterials/{line.product_id}",
                    f"the BOM pins digest {line.declaration_digest}, provenance cites {named['digest']}",
                )
            )
    _recompute(root, cited, factors, payload, provenance, result)
    return result


def _check_factor(item: dict[str, Any], factors: list[EmissionFactor], where: str, result: AuditReport) -> None:
    match = next((f for f in factors if f.id == item["id"]), None)
    if match is None:
        result.discrepancies.append(Discrepancy(where, f"factor {item['id']} is not in the factor database given"))
    elif match.dataset_hash != item["datasetHash"] or match.version != item["version"]:
        result.discrepancies.append(
            Discrepancy(
                where,
                f"factor {item['id']} changed: dataset {match.dataset_hash} "
                f"version {match.version}, provenance cites "
                f"{item['datasetHash']} version {item['version']}",
            )
        )


def _recompute(
    root: DeclaredProduct,
    cited: list[DeclaredProduct],
    factors: list[EmissionFactor],
    payload: dict[str, Any],
    provenance: dict[str, Any],
    result: AuditReport,
) -> None:
    chain = build_supply_chain([root, *cited], factors)
    solved = compute_footprints(chain.data, isolate_failures=True)
    found = report(chain, solved, root.product_id, parameters=provenance.get("parameters", {}))
    result.residual = solved.residual
    result.recomputed = {
        **found.components,
        "pcfExcludingBiogenicUptake": found.pcf_excluding_biogenic_uptake,
        "pcfIncludingBiogenicUptake": found.pcf_including_biogenic_uptake,
    }
    for gap in found.gaps:
        result.discrepancies.append(Discrepancy(f"billOfMaterials/{gap.input_product}", f"gap: {gap.reason}"))
    claimed_fields = {pact_field: component for component, pact_field in COMPONENT_FIELDS.items()}
    claimed_fields.update(
        {
            "pcfExcludingBiogenicUptake": "pcfExcludingBiogenicUptake",
            "pcfIncludingBiogenicUptake": "pcfIncludingBiogenicUptake",
        }
    )
    for name, key in claimed_fields.items():
        if name in payload["pcf"] and abs(float(payload["pcf"][name]) - result.recomputed[key]) > TOLERANCE:
            result.discrepancies.append(
                Discrepancy(f"/pcf/{name}", f"claims {payload['pcf'][name]}, recomputed {result.recomputed[key]:.6f}")
            )
    for component, text in provenance.get("results", {}).items():
        if abs(float(text) - result.recomputed[component]) > TOLERANCE:
            result.discrepancies.append(
                Discrepancy(
                    f"provenance/results/{component}", f"claims {text}, recomputed {result.recomputed[component]:.6f}"
                )
            )
    if solved.residual > 1e-9:
        result.discrepancies.append(Discrepancy("arithmetic", f"residual {solved.residual:.3e} of (I - Q) P = E"))
