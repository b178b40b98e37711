"""A flag: what looks wrong with a declaration, how serious, why, and the values compared."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

INFO, WARNING, CRITICAL = "info", "warning", "critical"
SEVERITIES = (INFO, WARNING, CRITICAL)

FOOTPRINT_OUTLIER = "footprint-outlier"
BOM_MASS_EXCEEDS_PRODUCT = "bom-mass-exceeds-product-mass"
PRIMARY_SHARE_WITHOUT_ACTIVITY = "primary-share-without-activity-data"
KEY_RETIRED_BEFORE_SIGNING = "key-retired-before-signing"
SAME_DIGEST_TWO_ORGANIZATIONS = "same-digest-two-organizations"
FACTOR_DATASET_NOT_ANCHORED = "factor-dataset-not-anchored"
TOTALS_MISMATCH = "totals-mismatch"
SHARP_CHANGE_WITHOUT_REASON = "sharp-change-without-reason"
FLAG_CODES = (
    FOOTPRINT_OUTLIER,
    BOM_MASS_EXCEEDS_PRODUCT,
    PRIMARY_SHARE_WITHOUT_ACTIVITY,
    KEY_RETIRED_BEFORE_SIGNING,
    SAME_DIGEST_TWO_ORGANIZATIONS,
    FACTOR_DATASET_NOT_ANCHORED,
    TOTALS_MISMATCH,
    SHARP_CHANGE_WITHOUT_REASON,
)


@dataclass(frozen=True)
class Flag:
    """One anomaly on one declaration."""

    code: str
    severity: str
    reason: str
    declaration_id: str
    evidence: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (the CLI's --json and the API's shape)."""
        return {
            "code": self.code,
            "severity": self.severity,
            "reason": self.reason,
            "declarationId": self.declaration_id,
            "evidence": self.evidence,
        }
