"""Checks across declarations: a footprint far outside its category, the same declaration under two
organizations, and a supplier value that jumps between versions with no stated reason.

Thresholds (documented in docs/workflows.md, "Anomaly flags"):

- Outliers use the modified z-score of Iglewicz and Hoaglin (1993), robust to the outliers themselves:
  ``z = 0.6745 (x - median) / MAD`` (MAD: median absolute deviation); ``|z| > 3.5`` is flagged. When more than half
  the values are equal (MAD 0) the mean absolute deviation stands in: ``z = (x - median) / (1.2533 MeanAD)``.
  A category is the first productClassification with the declared unit; fewer than ``MIN_GROUP = 5`` current
  declarations in it and no judgement is made.
- A sharp change is ``|new - old| / |old| > SHARP_CHANGE = 0.5`` (50 %) of pcfExcludingBiogenicUptake between a
  declaration and the predecessor it names, with no stated reason: the new version's ``comment`` is missing or
  repeats the predecessor's.
"""

from __future__ import annotations

import statistics
from decimal import Decimal

from ledger.anomalies.declaration_checks import Snapshot
from ledger.anomalies.flags import (
    CRITICAL,
    FOOTPRINT_OUTLIER,
    SAME_DIGEST_TWO_ORGANIZATIONS,
    SHARP_CHANGE_WITHOUT_REASON,
    WARNING,
    Flag,
)
from ledger.canonical import keccak_canonical
from ledger.pact.decimals import finite_decimal

OUTLIER_Z = 3.5
MIN_GROUP = 5
SHARP_CHANGE = Decimal("0.5")
PCF_FIELD = "pcfExcludingBiogenicUptake"


def category_of(item: Snapshot) -> tuple[str, str]:
    """(first productClassification or "unclassified", declared unit): the group a footprint is compared within."""
    classes = item.payload.get("productClassifications")
    first = classes[0] if isinstance(classes, list) and classes and isinstance(classes[0], str) else "unclassified"
    unit = item.pcf.get("declaredUnitOfMeasurement")
    return first, unit if isinstance(unit, str) else "unknown"


def robust_z_scores(values: list[float]) -> list[float]:
    """Modified z-scores (median and MAD; mean absolute deviation when MAD is 0; all 0 when every value is equal)."""
    median = statistics.median(values)
    mad = statistics.median(abs(v - median) for v in values)
    if mad > 0:
        return [0.6745 * (v - median) / mad for v in values]
    mean_ad = statistics.fmean(abs(v - median) for v in values)
    if mean_ad == 0:
        return [0.0 for _ in values]
    return [(v - median) / (1.253314 * mean_ad) for v in values]


def footprint_outliers(items: list[Snapshot], threshold: float = OUTLIER_Z, min_group: int = MIN_GROUP) -> list[Flag]:
    """Footprints whose modified z-score within their category exceeds `threshold`."""
    groups: dict[tuple[str, str], list[tuple[Snapshot, Decimal]]] = {}
    for item in items:
        value = finite_decimal(item.pcf.get(PCF_FIELD))
        if value is not None:
            groups.setdefault(category_of(item), []).append((item, value))
    flags = []
    for (category, unit), members in sorted(groups.items()):
        if len(members) < min_group:
            continue
        values = [float(value) for _, value in members]
        median = statistics.median(values)
        for (item, value), z in zip(members, robust_z_scores(values), strict=True):
            if abs(z) <= threshold:
                continue
            side = "above" if z > 0 else "below"
            reason = (
                f"{PCF_FIELD} {value} kgCO2e per {unit} is far {side} its category {category} "
                f"(median {median:g} over {len(members)} declarations, modified z-score {z:.1f}, threshold {threshold})"
            )
            evidence = {
                "value": str(value),
                "category": category,
                "unit": unit,
                "median": median,
                "groupSize": len(members),
                "zScore": round(z, 2),
                "threshold": threshold,
            }
            flags.append(Flag(FOOTPRINT_OUTLIER, WARNING, reason, item.declaration_id, evidence))
    return flags


def same_declaration_two_organizations(items: list[Snapshot]) -> list[Flag]:
    """The same digest, or the same CarbonFootprint object (salts differ, numbers copied), declared by two
    organizations. The store refuses a digest twice, so the footprint fingerprint is what usually catches a copy."""
    flags = []
    for key, label in ((lambda s: s.digest.lower(), "digest"), (lambda s: "0x" + keccak_canonical(s.pcf).hex(), "pcf")):
        seen: dict[str, list[Snapshot]] = {}
        for item in items:
            if item.pcf or label == "digest":
                seen.setdefault(key(item), []).append(item)
        for value, members in sorted(seen.items()):
            orgs = sorted({member.org for member in members})
            if len(orgs) < 2:
                continue
            what = f"digest {value}" if label == "digest" else f"the same CarbonFootprint (fingerprint {value})"
            for member in members:
                others = [org for org in orgs if org != member.org]
                reason = f"{what} is declared by {member.org} and by {', '.join(others)}"
                evidence = {
                    "match": label,
                    "value": value,
                    "organizations": orgs,
                    "declarations": sorted(m.declaration_id for m in members),
                }
                flags.append(Flag(SAME_DIGEST_TWO_ORGANIZATIONS, CRITICAL, reason, member.declaration_id, evidence))
    return flags


def sharp_change_without_reason(new: Snapshot, old: Snapshot, threshold: Decimal = SHARP_CHANGE) -> list[Flag]:
    """pcfExcludingBiogenicUptake moved more than `threshold` (relative) from the predecessor, and the new version's
    comment does not say why (missing, or the predecessor's unchanged)."""
    before, after = finite_decimal(old.pcf.get(PCF_FIELD)), finite_decimal(new.pcf.get(PCF_FIELD))
    if before is None or after is None or before == 0:
        return []
    change = abs(after - before) / abs(before)
    comment, previous = new.payload.get("comment"), old.payload.get("comment")
    stated = isinstance(comment, str) and comment.strip() != "" and comment != previous
    if change <= threshold or stated:
        return []
    reason = (
        f"{PCF_FIELD} changed from {before} to {after} ({change:.0%}) since version {old.declaration_id}, "
        "with no reason stated in the new version's comment"
    )
    evidence = {
        "previous": str(before),
        "current": str(after),
        "relativeChange": f"{change:.4f}",
        "threshold": str(threshold),
        "predecessor": old.declaration_id,
    }
    return [Flag(SHARP_CHANGE_WITHOUT_REASON, WARNING, reason, new.declaration_id, evidence)]
