"""The pure rules of footprint requests: validation, tallies at a fixed now, missing inputs, assembly progress
(hand-computed numbers over small supply chains)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from rollup_helpers import factor, product

from ledger.errors import InvalidFootprintRequestError, UnknownProductError
from ledger.graph.build import build_supply_chain
from ledger.requests.coverage import MissingInput, RequestFacts, missing_inputs, tally_by
from ledger.requests.progress import assembly_progress
from ledger.requests.rules import check_deadline, check_parties, check_products, check_rejection
from ledger.rollup.engine import compute_footprints

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


def facts(rid: str, tier: int, status: str, *, product_id: str = "p", deadline: datetime | None = None) -> RequestFacts:
    return RequestFacts(
        rid, "leader", "acme", product_id, tier, status, deadline, "NotFound" if status == "rejected" else None
    )


def test_tallies_by_tier_count_each_outcome_and_overdue_only_open_requests_past_their_deadline() -> None:
    past, future = NOW - timedelta(seconds=1), NOW + timedelta(days=1)
    requests = [
        facts("a", 1, "open", deadline=past),
        facts("b", 1, "open", deadline=future),
        facts("c", 1, "fulfilled", deadline=past),  # answered late: not overdue
        facts("d", 2, "rejected", deadline=past),
        facts("e", 2, "open", deadline=None),
    ]
    tiers = tally_by(requests, lambda r: r.tier, NOW)
    assert list(tiers) == [1, 2]
    one, two = tiers[1], tiers[2]
    assert (one.requested, one.fulfilled, one.rejected, one.open, one.overdue) == (3, 1, 0, 2, 1)
    assert (two.requested, two.fulfilled, two.rejected, two.open, two.overdue) == (2, 0, 1, 1, 0)
    assert two.rejections[0]["request"] == "d" and two.rejections[0]["code"] == "NotFound"
    # one second earlier the first request is not overdue yet
    assert tally_by(requests, lambda r: r.tier, past - timedelta(seconds=1))[1].overdue == 0


def test_missing_inputs_walk_declared_inputs_down_and_skip_requested_and_declared_ones() -> None:
    bill = {"bike": ["frame", "saddle", "tyre"], "frame": ["steel", "bolt"], "steel": ["ore", "frame"]}
    found = missing_inputs("bike", bill, requested=["tyre", "bolt"])
    assert found == [MissingInput("bike", "saddle", 1), MissingInput("steel", "ore", 3)]
    assert missing_inputs("bike", bill, requested=["tyre", "bolt", "saddle", "ore"]) == []


def test_assembly_progress_splits_the_footprint_into_own_supplier_specific_secondary_and_attested() -> None:
    # bike: own 0.3; 1 kg frame (own 0.3, 2 kg steel at 0.3 each); 0.5 kg tyre from a secondary factor at 2.0/kg;
    # a saddle nothing covers.
    declared = [
        product(
            "bike",
            org="leader",
            own={"fossil": "0.3"},
            inputs=[("frame", "1", "kilogram"), ("tyre", "0.5", "kilogram"), ("saddle", "1", "kilogram")],
        ),
        product("frame", org="acme", own={"fossil": "0.3"}, inputs=[("steel", "2", "kilogram")]),
        product("steel", org="mill", own={"fossil": "0.3"}),
    ]
    supply = build_supply_chain(declared, [factor("tyre", "2.0")])
    result = compute_footprints(supply.data, isolate_failures=True)
    frame_digest = declared[1].digest
    progress = assembly_progress(supply, result, "bike", {frame_digest})
    total = 0.3 + 0.3 + 0.6 + 1.0
    assert progress.total == pytest.approx(total)
    assert progress.own_share == pytest.approx(0.3 / total)
    assert progress.supplier_specific_share == pytest.approx(0.9 / total)
    assert progress.secondary_share == pytest.approx(1.0 / total)
    assert progress.attested_share == pytest.approx(0.3 / total)
    assert progress.by_tier == pytest.approx({0: 0.3 / total, 1: 1.3 / total, 2: 0.6 / total})
    assert progress.gaps == (("bike", "saddle"),)
    assert assembly_progress(supply, result, "frame", set()).supplier_specific_share == pytest.approx(0.6 / 0.9)
    with pytest.raises(UnknownProductError, match="'tyre'"):
        assembly_progress(supply, result, "tyre", set())


@pytest.mark.parametrize(
    ("call", "named"),
    [
        (lambda: check_products([]), "1 to 64 products, got 0"),
        (lambda: check_products(["urn:a b"]), "'urn:a b'"),
        (lambda: check_products([f"p{i}" for i in range(65)]), "got 65"),
        (lambda: check_deadline(NOW - timedelta(minutes=1), NOW), "has passed already"),
        (lambda: check_deadline(datetime(2027, 1, 1), NOW), "no time zone"),
        (lambda: check_rejection("Busy", "later"), "'Busy'"),
        (lambda: check_rejection("NotFound", "  "), "give a message"),
        (lambda: check_parties("acme", "acme"), "'acme' cannot request a footprint from itself"),
    ],
)
def test_malformed_requests_and_answers_are_refused_naming_the_value(call: object, named: str) -> None:
    with pytest.raises(InvalidFootprintRequestError, match=named):
        call()  # type: ignore[operator]


def test_products_are_kept_once_in_the_order_given() -> None:
    assert check_products(["b", "a", "b"]) == ("b", "a")


@pytest.mark.parametrize("text", ["9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59"])
def test_deadline_out_of_range_in_utc_is_invalid_input_not_a_crash(text: str) -> None:
    with pytest.raises(InvalidFootprintRequestError, match="out of range in UTC"):
        check_deadline(datetime.fromisoformat(text), datetime(2026, 1, 1, tzinfo=UTC))
