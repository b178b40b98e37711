"""Batches close on size, age or flush; every declaration gets a proof that verifies on chain; verification
names the first failing check for tampered stores, proofs and roots, revocations and successors."""

from __future__ import annotations

import json
from typing import Any

from factories import make_payload, signed
from sqlmodel import select

from ledger.service.verify_stored import verify_stored
from ledger.storage import repository
from ledger.storage.tables import BatchRow, DeclarationRow


def submit(env: Any, count: int) -> list[str]:
    return [r.id for r in env.ingest.submit_many([signed(env) for _ in range(count)])]


def verify(env: Any, key: str) -> Any:
    with env.sessions() as session:
        return verify_stored(session, env.keyring, env.chain, key)


def test_batches_close_on_size_and_every_declaration_verifies(ledger_env: Any) -> None:
    ids = submit(ledger_env, 9)
    report = ledger_env.anchoring.run_once()
    assert (report.anchored_batches, report.anchored_declarations, report.pending) == (2, 8, 1)
    report = ledger_env.anchoring.run_once(flush=True)
    assert (report.anchored_batches, report.anchored_declarations, report.pending) == (1, 1, 0)
    with ledger_env.sessions() as session:
        batches = session.exec(select(BatchRow)).all()
        assert [b.leaf_count for b in batches] == [4, 4, 1] and all(b.status == "anchored" for b in batches)
        assert all(ledger_env.chain.anchored_block(bytes.fromhex(b.root[2:])) == b.block_number for b in batches)
    for declaration_id in ids:
        result = verify(ledger_env, declaration_id)
        assert result.valid, result.as_dict()


def test_batches_close_on_age(ledger_env: Any) -> None:
    submit(ledger_env, 2)
    assert ledger_env.anchoring.run_once().anchored_batches == 0
    ledger_env.anchoring.max_age = 0.0
    assert ledger_env.anchoring.run_once().anchored_declarations == 2


def tamper_row(env: Any, declaration_id: str, **changes: Any) -> None:
    with env.sessions() as session:
        row = session.get(DeclarationRow, declaration_id)
        for key, value in changes.items():
            setattr(row, key, value(row) if callable(value) else value)
        session.add(row)
        session.commit()


def anchored_one(env: Any) -> str:
    (declaration_id,) = submit(env, 1)
    env.anchoring.run_once(flush=True)
    assert verify(env, declaration_id).valid
    return declaration_id


def test_a_tampered_stored_payload_is_detected(ledger_env: Any) -> None:
    declaration_id = anchored_one(ledger_env)
    tamper_row(ledger_env, declaration_id, ciphertext=lambda r: bytes([r.ciphertext[0] ^ 1]) + r.ciphertext[1:])
    result = verify(ledger_env, declaration_id)
    assert not result.valid and result.first_failure.name == "envelope" and "altered" in result.first_failure.detail


def test_a_tampered_proof_is_detected(ledger_env: Any) -> None:
    submit(ledger_env, 4)
    ledger_env.anchoring.run_once(flush=True)
    with ledger_env.sessions() as session:
        declaration_id = session.exec(select(DeclarationRow)).first().id
    tamper_row(ledger_env, declaration_id, proof=lambda r: json.dumps(["0x" + "00" * 32, *json.loads(r.proof)[1:]]))
    result = verify(ledger_env, declaration_id)
    assert result.first_failure.name == "anchor" and "does NOT link" in result.first_failure.detail


def test_a_tampered_root_is_detected(ledger_env: Any) -> None:
    declaration_id = anchored_one(ledger_env)
    with ledger_env.sessions() as session:
        batch = session.exec(select(BatchRow)).first()
        batch.root = "0x" + "99" * 32
        session.add(batch)
        session.commit()
    result = verify(ledger_env, declaration_id)
    assert result.first_failure.name == "anchor" and "NOT anchored on chain" in result.first_failure.detail


def test_a_revoked_declaration_fails_status_with_reason_and_revoker(ledger_env: Any) -> None:
    declaration_id = anchored_one(ledger_env)
    tanji = ledger_env.tanji
    with ledger_env.sessions() as session:
        row = repository.get_declaration(session=session, key=declaration_id)
        root = session.get(BatchRow, row.batch_id).root
        proof = repository.proof_of(row)
    tanji.client.revoke_declaration(
        bytes.fromhex(root[2:]), bytes.fromhex(row.digest[2:]), row.declarant, proof, 3, sender=tanji.supplier
    )
    result = verify(ledger_env, declaration_id)
    assert result.first_failure.name == "status" and "REVOKED" in result.first_failure.detail
    assert "misstatement" in result.first_failure.detail and tanji.supplier.address in result.first_failure.detail


def test_a_new_version_supersedes_its_predecessor_on_chain_with_the_declarants_consent(ledger_env: Any) -> None:
    supplier = ledger_env.tanji.supplier
    first = ledger_env.ingest.submit(signed(ledger_env))
    successor = make_payload(supplier.address, preceding=[first.id], pcf="1.95")
    second = ledger_env.ingest.submit(signed(ledger_env, payload=successor, supersedes=[first.digest]))
    assert second.status == "pending"
    assert ledger_env.anchoring.run_once(flush=True).superseded == 1
    old, new = verify(ledger_env, first.id), verify(ledger_env, second.id)
    assert new.valid and old.first_failure.name == "status" and old.verdict == "SUPERSEDED"
    assert "on chain" in old.first_failure.detail and second.digest in old.first_failure.detail


def test_another_organization_cannot_supersede(ledger_env: Any) -> None:
    first = ledger_env.ingest.submit(signed(ledger_env))
    tanji = ledger_env.tanji
    tanji.client.register_member("rival", tanji.outsider.address, ["supplier"], sender=tanji.chain.operator)
    payload = make_payload(tanji.outsider.address, org="rival", preceding=[first.id])
    result = ledger_env.ingest.submit(signed(ledger_env, tanji.outsider, payload=payload, org="rival"))
    assert result.status == "rejected" and "only the declaring organization" in result.error


def test_unanchored_declarations_report_anchor_failure_with_remedy(ledger_env: Any) -> None:
    (declaration_id,) = submit(ledger_env, 1)
    result = verify(ledger_env, declaration_id)
    assert result.first_failure.name == "anchor" and "tanji anchor flush" in result.first_failure.detail
    assert verify(ledger_env, "0x" + "12" * 32) is None
