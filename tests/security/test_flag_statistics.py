"""Outlier flags shown to anyone but a regulator carry no statistics of the category: with its own value and a few
crafted declarations, a chain leader could solve the median for another organization's value."""

from __future__ import annotations

from ledger.anomalies.flags import FOOTPRINT_OUTLIER, SHARP_CHANGE_WITHOUT_REASON, Flag
from ledger.service.anomaly_flags import _without_population_statistics

OUTLIER = Flag(
    FOOTPRINT_OUTLIER,
    "warning",
    "pcfExcludingBiogenicUptake 5000 kgCO2e per kilogram is far above its category c (median 13.65705 over 6 ...)",
    "d-1",
    {"value": "5000", "category": "c", "unit": "kilogram", "median": 13.65705, "groupSize": 6, "zScore": 9.1,
     "threshold": 3.5},
)  # fmt: skip


def test_category_median_extraction_through_outlier_flags_is_refused() -> None:
    shown = _without_population_statistics(OUTLIER)
    assert set(shown.evidence) == {"value", "category", "unit", "threshold"}
    assert "13.65705" not in shown.reason and " 6 " not in shown.reason
    assert shown.code == FOOTPRINT_OUTLIER and shown.declaration_id == "d-1" and "5000" in shown.reason


def test_flags_without_population_statistics_are_shown_unchanged() -> None:
    flag = Flag(SHARP_CHANGE_WITHOUT_REASON, "warning", "changed 618%", "d-2", {"before": "4.9", "after": "35.6"})
    assert _without_population_statistics(flag) is flag
