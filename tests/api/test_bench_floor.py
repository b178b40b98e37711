"""The signature floor of `tanji bench anchor/verify`: real recoveries, scaled by the worker count."""

from __future__ import annotations

import pytest

from api.bench import signature_floor
from ledger.signing import SigningDomain, recover_hash_signer

DOMAIN = SigningDomain(chain_id=1, verifying_contract="0x" + "11" * 20)


def test_signed_digests_are_distinct_and_recover_to_their_signer() -> None:
    signer, signed = signature_floor.signed_digests(5, DOMAIN)
    assert len({digest for digest, _ in signed}) == 5
    assert all(recover_hash_signer(digest, signature) == signer for digest, signature in signed)


def test_a_recovery_to_another_signer_stops_the_measurement() -> None:
    _, signed = signature_floor.signed_digests(2, DOMAIN)
    other, _ = signature_floor.signed_digests(1, DOMAIN)
    with pytest.raises(RuntimeError, match="wrong signer"):
        signature_floor.recoveries_per_second(signed, other)


def test_the_floor_is_the_per_core_rate_times_the_workers() -> None:
    floor = signature_floor.measure(3, signatures=20, rounds=1)
    assert floor["workers"] == 3
    assert floor["per_core_per_s"] > 0
    assert floor["floor_per_s"] == pytest.approx(floor["per_core_per_s"] * 3, abs=0.2)


def test_a_floor_without_workers_is_refused() -> None:
    with pytest.raises(ValueError, match="workers 0"):
        signature_floor.measure(0)


def test_the_ledger_benchmark_ingests_anchors_and_verifies_a_small_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every declaration the benchmark signs is admitted (its supplier owns the product), anchored and verified."""
    from api.bench import ledger_throughput

    monkeypatch.setattr(signature_floor, "measure", lambda workers: {"workers": workers, "floor_per_s": 1000.0})
    result = ledger_throughput.run(count=12, batch_size=5)
    assert result["anchor_transactions"] == 3 and result["declarations"] == 12
    assert result["verify_per_s"] > 0 and result["ingest_anchor_per_s"] > 0
    assert set(result["load_average"]) == {"start", "end"}
    assert result["ingest_anchor_to_floor"] == pytest.approx(result["ingest_anchor_per_s"] / 1000.0, abs=0.001)
