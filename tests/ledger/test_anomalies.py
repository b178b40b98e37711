"""ledger.anomalies: for each flag, one crafted declaration that triggers it and a clean one that does not."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from ledger.anomalies import flags as codes
from ledger.anomalies.declaration_checks import (
    Snapshot,
    bom_mass_exceeds_product_mass,
    key_retired_before_signing,
    primary_share_without_activity,
    totals_mismatch,
    unanchored_factors,
)
from ledger.anomalies.population_checks import (
    footprint_outliers,
    robust_z_scores,
    same_declaration_two_organizations,
    sharp_change_without_reason,
)
from ledger.factors.checks import AnchoredDataset

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "declarations" / "hot-rolled-coil.json"
BASE: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
FACTOR_HASHES = [item["datasetHash"] for item in BASE["extensions"][0]["data"]["emissionFactors"]]


def snapshot(key: str = "d1", *, org: str = "acme", pcf: str | None = None, **changes: Any) -> Snapshot:
    """The example declaration, with `changes` applied as pointer-ish keys: pcf.X, ext.X or top-level X."""
    payload = copy.deepcopy(BASE)
    if pcf is not None:
        for field in ("pcfExcludingBiogenicUptake", "pcfIncludingBiogenicUptake", "fossilGhgEmissions"):
            payload["pcf"][field] = pcf
    for name, value in changes.items():
        where, _, field = name.partition("__")
        target = {"pcf": payload["pcf"], "ext": payload["extensions"][0]["data"], "top": payload}[where]
        target[field] = value
    return Snapshot(key, org, f"urn:tanji:{org}:coil-{key}", "0x" + key.encode().hex().rjust(64, "0"), payload)


def test_the_example_declaration_raises_no_flag_of_its_own() -> None:
    clean = snapshot()
    anchored = [AnchoredDataset("CLCD 0.8", "2024", h, 7, frozenset()) for h in FACTOR_HASHES]
    found = (
        bom_mass_exceeds_product_mass(clean)
        + primary_share_without_activity(clean)
        + totals_mismatch(clean)
        + unanchored_factors(clean, anchored)
    )
    assert found == []


def test_bom_mass_well_above_the_product_mass_is_flagged() -> None:
    heavy = [{"productId": "urn:tanji:ore-co:fines", "quantity": "3.2", "unit": "kilogram"}]
    (flag,) = bom_mass_exceeds_product_mass(snapshot(ext__billOfMaterials=heavy))
    assert flag.code == codes.BOM_MASS_EXCEEDS_PRODUCT and flag.evidence["bomInputMass"] == "3.2"
    assert "3.20 times" in flag.reason
    assert bom_mass_exceeds_product_mass(snapshot()) == []  # 1.93 kg of ore and coke per kg of coil: plausible


def test_high_primary_share_without_activity_data_is_flagged() -> None:
    unmeasured = [{"source": "furnace", "component": "fossil", "amount": "0.3"}]
    (flag,) = primary_share_without_activity(snapshot(ext__directEmissions=unmeasured))
    assert flag.code == codes.PRIMARY_SHARE_WITHOUT_ACTIVITY and flag.evidence["primaryDataShare"] == "72.5"
    low_share = snapshot(ext__directEmissions=unmeasured, pcf__primaryDataShare="20")
    assert primary_share_without_activity(low_share) == []


def test_signature_by_a_key_retired_before_signing_is_flagged() -> None:
    item = snapshot()  # created 2026-10-15T08:00:00Z
    retired_early = datetime(2026, 9, 1, tzinfo=UTC)
    signed = datetime(2026, 10, 15, 8, tzinfo=UTC)
    (flag,) = key_retired_before_signing(
        item, signer="0xabc", signed_at=signed, retired_by=retired_early, retired_block=40
    )
    assert flag.code == codes.KEY_RETIRED_BEFORE_SIGNING and flag.severity == codes.CRITICAL
    assert flag.evidence["retiredAtBlock"] == 40
    retired_later = datetime(2026, 11, 1, tzinfo=UTC)
    assert (
        key_retired_before_signing(item, signer="0xabc", signed_at=signed, retired_by=retired_later, retired_block=40)
        == []
    )
    assert key_retired_before_signing(item, signer="0xabc", signed_at=signed, retired_by=None, retired_block=0) == []
    (late,) = key_retired_before_signing(
        item, signer="0xabc", signed_at=signed, retired_by=None, retired_block=40, anchored_block=41
    )
    assert late.evidence["anchoredAtBlock"] == 41 and "before the anchoring block 41" in late.reason
    assert (
        key_retired_before_signing(
            item, signer="0xabc", signed_at=signed, retired_by=None, retired_block=40, anchored_block=39
        )
        == []
    )


def test_the_same_declaration_by_two_organizations_is_flagged() -> None:
    original, copied = snapshot("d1", org="acme"), snapshot("d2", org="copycat")
    found = same_declaration_two_organizations([original, copied])
    assert {flag.declaration_id for flag in found} == {"d1", "d2"}
    assert all(flag.code == codes.SAME_DIGEST_TWO_ORGANIZATIONS for flag in found)
    assert found[0].evidence["organizations"] == ["acme", "copycat"]
    own_versions = [snapshot("d1", org="acme"), snapshot("d3", org="acme")]
    assert same_declaration_two_organizations(own_versions) == []
    different = [original, snapshot("d4", org="copycat", pcf="3.10")]
    assert same_declaration_two_organizations(different) == []
    same_digest = Snapshot(
        "d5", "copycat", "urn:tanji:copycat:x", original.digest, {"pcf": {"pcfExcludingBiogenicUptake": "9"}}
    )
    (digest_flag, _) = same_declaration_two_organizations([original, same_digest])
    assert digest_flag.evidence["match"] == "digest" and digest_flag.evidence["value"] == original.digest


def test_a_factor_dataset_never_anchored_is_flagged() -> None:
    anchored = [AnchoredDataset("CLCD 0.8", "2024", FACTOR_HASHES[0], 7, frozenset())]
    (flag,) = unanchored_factors(snapshot(), anchored)
    assert flag.code == codes.FACTOR_DATASET_NOT_ANCHORED and flag.evidence["datasetHash"] == FACTOR_HASHES[1]


def test_totals_not_matching_their_components_are_flagged() -> None:
    found = totals_mismatch(snapshot(pcf__fossilGhgEmissions="1.50"))
    assert {flag.evidence["field"] for flag in found} == {"pcfExcludingBiogenicUptake", "pcfIncludingBiogenicUptake"}
    assert all(flag.code == codes.TOTALS_MISMATCH and flag.severity == codes.WARNING for flag in found)


def test_a_sharp_change_without_a_stated_reason_is_flagged() -> None:
    old, new = snapshot("d1", pcf="2.08"), snapshot("d2", pcf="0.90")
    (flag,) = sharp_change_without_reason(new, old)
    assert flag.code == codes.SHARP_CHANGE_WITHOUT_REASON and flag.evidence["previous"] == "2.08"
    explained = snapshot("d2", pcf="0.90", top__comment="Switched the BOF shop to green hydrogen DRI in 2026")
    assert sharp_change_without_reason(explained, old) == []
    assert sharp_change_without_reason(snapshot("d2", pcf="2.20"), old) == []  # +6 %: below the 50 % threshold


def test_a_footprint_far_outside_its_category_is_flagged() -> None:
    values = ["2.0", "2.1", "1.9", "2.2", "2.05", "0.2"]
    items = [snapshot(f"d{i}", pcf=value) for i, value in enumerate(values)]
    (flag,) = footprint_outliers(items)
    assert flag.code == codes.FOOTPRINT_OUTLIER and flag.declaration_id == "d5" and flag.evidence["zScore"] < -3.5
    assert footprint_outliers(items[:5]) == []
    assert footprint_outliers(items[:3] + items[5:]) == []  # fewer than 5 in the category: no judgement


def test_robust_z_scores_match_a_hand_computation() -> None:
    """median 3, MAD median(|1-3|,|2-3|,0,|4-3|,|100-3|) = 1; z(100) = 0.6745 * 97 = 65.43."""
    scores = robust_z_scores([1, 2, 3, 4, 100])
    assert scores[4] == pytest.approx(0.6745 * 97) and scores[2] == 0
    assert robust_z_scores([5, 5, 5, 5, 9])[4] == pytest.approx(4 / (1.253314 * 0.8))
    assert robust_z_scores([5, 5, 5]) == [0.0, 0.0, 0.0]
