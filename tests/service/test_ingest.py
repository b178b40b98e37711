"""Ingest: accept, deduplicate and refuse with reasons; store encrypted with the outbox entry; nothing half-stored."""

from __future__ import annotations

import json
from typing import Any

from eth_account import Account
from factories import make_payload, signed
from sqlmodel import select

from ledger.signing import SigningDomain
from ledger.storage import repository
from ledger.storage.tables import DeclarationRow, OutboxRow


def counts(env: Any) -> tuple[int, int]:
    with env.sessions() as session:
        return (len(session.exec(select(DeclarationRow)).all()), len(session.exec(select(OutboxRow)).all()))


def test_a_valid_declaration_is_stored_encrypted_and_queued(ledger_env: Any) -> None:
    raw = signed(ledger_env)
    result = ledger_env.ingest.submit(raw)
    assert (result.status, result.duplicate, result.error) == ("pending", False, None)
    with ledger_env.sessions() as session:
        row = repository.get_declaration(session=session, key=result.id)
        assert row is not None and row.digest == result.digest and row.org_handle == "acme"
        assert b"Acme Steel" not in row.ciphertext and b"hot-rolled" not in row.ciphertext
    assert counts(ledger_env) == (1, 1)


def test_resubmitting_is_idempotent(ledger_env: Any) -> None:
    raw = signed(ledger_env)
    first, again = ledger_env.ingest.submit_many([raw, raw])
    assert again.duplicate and again.id == first.id and again.digest == first.digest
    assert counts(ledger_env) == (1, 1)


def test_a_reused_nonce_is_refused_by_name(ledger_env: Any) -> None:
    ledger_env.ingest.submit(signed(ledger_env, nonce=42))
    result = ledger_env.ingest.submit(signed(ledger_env, nonce=42))
    assert result.status == "rejected" and "nonce 42" in result.error and "already used" in result.error
    assert counts(ledger_env) == (1, 1)


def test_a_changed_footprint_under_the_same_id_is_refused(ledger_env: Any) -> None:
    payload = make_payload(ledger_env.tanji.supplier.address)
    ledger_env.ingest.submit(signed(ledger_env, payload=payload))
    payload["pcf"]["pcfExcludingBiogenicUptake"] = "1.50"
    result = ledger_env.ingest.submit(signed(ledger_env, payload=payload))
    assert result.status == "rejected" and f"id {payload['id']} is already declared" in result.error


def test_a_signature_for_another_chain_or_contract_is_refused(ledger_env: Any) -> None:
    real = ledger_env.chain.signing_domain
    for domain in (SigningDomain(1, real.verifying_contract), SigningDomain(real.chain_id, "0x" + "ab" * 20)):
        result = ledger_env.ingest.submit(signed(ledger_env, domain=domain))
        assert result.status == "rejected" and "re-sign for this ledger" in result.error
    assert counts(ledger_env) == (0, 0)


def test_non_members_wrong_org_suspended_and_retired_keys_are_refused(ledger_env: Any) -> None:
    tanji = ledger_env.tanji
    outsider = Account.create()
    assert "TanjiNotMember" in ledger_env.ingest.submit(signed(ledger_env, outsider)).error
    assert "not of 'other-org'" in ledger_env.ingest.submit(signed(ledger_env, org="other-org")).error
    assert "TanjiMissingRole" in ledger_env.ingest.submit(signed(ledger_env, tanji.auditor, org="audit")).error
    tanji.client.suspend_member("acme", "audit finding", sender=tanji.regulator)
    assert "TanjiMemberSuspended" in ledger_env.ingest.submit(signed(ledger_env)).error
    tanji.client.reinstate_member("acme", sender=tanji.regulator)
    replacement = Account.create()
    tanji.client.add_key("acme", replacement.address, sender=tanji.supplier)  # the member adds its own key
    tanji.client.retire_key("acme", tanji.supplier.address, sender=tanji.chain.operator)
    assert "TanjiKeyRetired" in ledger_env.ingest.submit(signed(ledger_env)).error
    assert ledger_env.ingest.submit(signed(ledger_env, replacement)).status == "pending"
    assert counts(ledger_env) == (1, 1)


def test_invalid_content_is_refused_with_its_reason_and_nothing_is_stored(ledger_env: Any) -> None:
    envelope = json.loads(signed(ledger_env))
    envelope["payload"]["pcf"]["pcfExcludingBiogenicUptake"] = "9.99"
    results = ledger_env.ingest.submit_many([json.dumps(envelope), "{not json", json.dumps({"type": "x"})])
    assert [r.status for r in results] == ["rejected"] * 3
    assert "DigestMismatchError" in results[0].error and "not valid JSON" in results[1].error
    assert counts(ledger_env) == (0, 0)


def test_with_the_chain_down_ingest_accepts_as_unverified(ledger_env: Any) -> None:
    ledger_env.chain.down = True
    result = ledger_env.ingest.submit(signed(ledger_env))
    assert result.status == "unverified"
    report = ledger_env.anchoring.run_once(flush=True)
    assert report.chain_unavailable and report.pending == 1
    ledger_env.chain.down = False
    report = ledger_env.anchoring.run_once(flush=True)
    assert (report.anchored_declarations, report.pending, report.chain_unavailable) == (1, 0, False)


def test_an_unverified_declaration_of_a_non_member_is_rejected_at_anchoring(ledger_env: Any) -> None:
    ledger_env.chain.down = True
    result = ledger_env.ingest.submit(signed(ledger_env, Account.create()))
    ledger_env.chain.down = False
    report = ledger_env.anchoring.run_once(flush=True)
    assert (report.rejected, report.anchored_declarations) == (1, 0)
    with ledger_env.sessions() as session:
        row = repository.get_declaration(session=session, key=result.id)
        assert row.status == "rejected" and "TanjiNotMember" in row.reason


def test_parallel_ingest_gives_the_same_results_as_sequential(ledger_env: Any) -> None:
    raws = [signed(ledger_env) for _ in range(300)]
    ledger_env.ingest.workers = 2
    results = ledger_env.ingest.submit_many(raws)
    assert [r.status for r in results] == ["pending"] * 300
    assert len({r.digest for r in results}) == 300 and counts(ledger_env) == (300, 300)
