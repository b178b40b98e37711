"""Checks of one declaration on its own: mass balance, primary data without activity data, totals, cited factor
datasets, and the signing key's retirement. Each returns a list of flags (empty when nothing looks wrong).

Thresholds (documented in docs/workflows.md, "Anomaly flags"):

- ``BOM_MASS_RATIO = 3``: the kilogram inputs of the bill of materials may weigh up to three times the product
  (ore to metal, limestone to clinker lose mass: hot-rolled coil takes ~1.9 kg of ore and coke per kg); beyond
  that the inputs are likely double-counted or the product mass understated.
- ``PRIMARY_SHARE_MIN = 50``: a primaryDataShare of 50 % or more claims mostly measured data; a declaration
  claiming it with no direct emission carrying an activity amount (kWh, m3, t burnt) shows no measurement.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from ledger.anomalies.flags import (
    BOM_MASS_EXCEEDS_PRODUCT,
    CRITICAL,
    FACTOR_DATASET_NOT_ANCHORED,
    INFO,
    KEY_RETIRED_BEFORE_SIGNING,
    PRIMARY_SHARE_WITHOUT_ACTIVITY,
    TOTALS_MISMATCH,
    WARNING,
    Flag,
)
from ledger.declarations.extension import EmissionFactorRef
from ledger.declarations.extension_parse import find_extension
from ledger.factors.checks import AnchoredDataset, factor_reference_problems
from ledger.pact.decimals import finite_decimal
from ledger.pact.totals import check_totals

BOM_MASS_RATIO = Decimal(3)
PRIMARY_SHARE_MIN = Decimal(50)


@dataclass(frozen=True)
class Snapshot:
    """What the checks read of one stored declaration (its payload decrypted by the service)."""

    declaration_id: str
    org: str
    product_id: str
    digest: str
    payload: dict[str, Any]

    @property
    def pcf(self) -> dict[str, Any]:
        """The CarbonFootprint object ({} when missing)."""
        pcf = self.payload.get("pcf")
        return pcf if isinstance(pcf, dict) else {}

    @property
    def extension(self) -> dict[str, Any]:
        """The Tanji extension's data ({} when missing)."""
        found = find_extension(self.payload)
        return found[1] if found else {}

    def items(self, key: str) -> list[dict[str, Any]]:
        """The objects of one extension list (billOfMaterials, directEmissions, ...)."""
        value = self.extension.get(key)
        return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def bom_mass_exceeds_product_mass(item: Snapshot, ratio: Decimal = BOM_MASS_RATIO) -> list[Flag]:
    """The kilogram inputs of the bill of materials weigh more than `ratio` times the product's mass."""
    mass = finite_decimal(item.pcf.get("productMassPerDeclaredUnit"))
    if mass is None or mass <= 0:
        return []
    inputs = [
        finite_decimal(line.get("quantity")) for line in item.items("billOfMaterials") if line.get("unit") == "kilogram"
    ]
    total = sum((value for value in inputs if value is not None), Decimal(0))
    if total <= ratio * mass:
        return []
    reason = (
        f"the bill of materials lists {total} kg of inputs per declared unit, {total / mass:.2f} times the product's "
        f"mass of {mass} kg (more than {ratio} times)"
    )
    evidence = {"productMassPerDeclaredUnit": str(mass), "bomInputMass": str(total), "ratioThreshold": str(ratio)}
    return [Flag(BOM_MASS_EXCEEDS_PRODUCT, WARNING, reason, item.declaration_id, evidence)]


def primary_share_without_activity(item: Snapshot, minimum: Decimal = PRIMARY_SHARE_MIN) -> list[Flag]:
    """A primaryDataShare of `minimum` % or more with no direct emission carrying an activity amount."""
    share = finite_decimal(item.pcf.get("primaryDataShare"))
    if share is None or share < minimum:
        return []
    measured = [
        line for line in item.items("directEmissions") if finite_decimal(line.get("activityAmount")) is not None
    ]
    if measured:
        return []
    reason = f"primaryDataShare is {share} % but no direct emission states an activity amount (no measured data)"
    evidence = {"primaryDataShare": str(share), "activityDataLines": 0, "shareThreshold": str(minimum)}
    return [Flag(PRIMARY_SHARE_WITHOUT_ACTIVITY, WARNING, reason, item.declaration_id, evidence)]


def totals_mismatch(item: Snapshot) -> list[Flag]:
    """A stated PCF total that its stated components do not add up to (ledger.pact.totals, every reading)."""
    flags = []
    for found in check_totals(item.pcf):
        severity = INFO if found.matches else WARNING  # matching another PACT reading is a choice, not an error
        evidence = {
            "field": found.field,
            "stated": found.stated,
            "componentSums": {k: str(v) for k, v in found.expected.items()},
        }
        reason = f"{found.field} {found.message()}"
        flags.append(Flag(TOTALS_MISMATCH, severity, reason, item.declaration_id, evidence))
    return flags


def unanchored_factors(item: Snapshot, anchored: list[AnchoredDataset]) -> list[Flag]:
    """Cited emission factors whose dataset version was never anchored (ledger.factors.checks, reused)."""
    refs = [
        EmissionFactorRef(
            str(line.get("id")), str(line.get("version")), str(line.get("source")), str(line.get("datasetHash"))
        )
        for line in item.items("emissionFactors")
        if isinstance(line.get("datasetHash"), str)
    ]
    return [
        Flag(
            FACTOR_DATASET_NOT_ANCHORED,
            WARNING,
            problem.reason,
            item.declaration_id,
            {"check": problem.code, **problem.evidence},
        )
        for problem in factor_reference_problems(refs, anchored)
    ]


def key_retired_before_signing(
    item: Snapshot,
    *,
    signer: str,
    signed_at: datetime | None,
    retired_by: datetime | None,
    retired_block: int,
    anchored_block: int | None = None,
) -> list[Flag]:
    """The declaration's key was retired on chain before the declaration says it was signed (`created`), or before
    the block that anchored it (a key retired while the declaration waited in the outbox).

    `retired_by` is a moment by which the key was certainly retired (the service places the retirement block in
    time from the ledger's own anchorings); None when it cannot tell."""
    if retired_block == 0:
        return []
    evidence: dict[str, Any] = {"signer": signer, "retiredAtBlock": retired_block}
    if anchored_block is not None and anchored_block >= retired_block:
        evidence["anchoredAtBlock"] = anchored_block
        reason = (
            f"signed by key {signer}, retired in block {retired_block}, before the anchoring block {anchored_block}"
        )
        return [Flag(KEY_RETIRED_BEFORE_SIGNING, CRITICAL, reason, item.declaration_id, evidence)]
    if signed_at is None or retired_by is None or signed_at <= retired_by:
        return []
    reason = (
        f"signed by key {signer}, retired in block {retired_block} (by {retired_by.isoformat()}), "
        f"but the declaration states it was created on {signed_at.isoformat()}"
    )
    evidence.update({"retiredBy": retired_by.isoformat(), "created": signed_at.isoformat()})
    return [Flag(KEY_RETIRED_BEFORE_SIGNING, CRITICAL, reason, item.declaration_id, evidence)]
