"""Bulk verification (`verify_many`, the path of `tanji bench verify`) reports exactly what verifying each stored
declaration on its own reports: valid ones, a tampered payload, a tampered proof, an unanchored one, a revoked one
and a superseded one, in the order asked, in this process and in worker processes."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from factories import make_payload, signed

from ledger.service import bulk_verify
from ledger.service.bulk_verify import verify_many
from ledger.service.verify_stored import verify_stored
from ledger.storage import repository
from ledger.storage.tables import BatchRow, DeclarationRow


def _tamper(env: Any, declaration_id: str, **changes: Any) -> None:
    with env.sessions() as session:
        row = session.get(DeclarationRow, declaration_id)
        for key, change in changes.items():
            setattr(row, key, change(row))
        session.add(row)
        session.commit()


def _revoke(env: Any, declaration_id: str) -> None:
    with env.sessions() as session:
        row = repository.get_declaration(session=session, key=declaration_id)
        root = session.get(BatchRow, row.batch_id).root
        proof = repository.proof_of(row)
    env.tanji.client.revoke_declaration(
        bytes.fromhex(root[2:]), bytes.fromhex(row.digest[2:]), row.declarant, proof, 3, sender=env.tanji.supplier
    )


def _mixed_store(env: Any) -> list[str]:
    """Eight anchored declarations (one revoked, one superseded, one with a tampered payload, one with a tampered
    proof) and one not anchored yet; returns their ids in a shuffled order."""
    supplier = env.tanji.supplier
    results = env.ingest.submit_many([signed(env) for _ in range(6)])
    ids = [r.id for r in results]
    successor = make_payload(supplier.address, preceding=[ids[0]], pcf="1.95")  # with the consent relayed on chain
    ids.append(env.ingest.submit(signed(env, payload=successor, supersedes=[results[0].digest])).id)
    env.anchoring.run_once(flush=True)
    ids.append(env.ingest.submit(signed(env)).id)  # not anchored
    _revoke(env, ids[1])
    _tamper(env, ids[2], ciphertext=lambda r: bytes([r.ciphertext[0] ^ 1]) + r.ciphertext[1:])
    _tamper(env, ids[3], proof=lambda r: json.dumps(["0x" + "00" * 32, *json.loads(r.proof)[1:]]))
    return [ids[i] for i in (7, 3, 0, 5, 1, 6, 2, 4)]


def test_bulk_reports_equal_the_one_by_one_reports(ledger_env: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    ids = _mixed_store(ledger_env)
    with ledger_env.sessions() as session:
        now = int(time.time())  # one moment for every path: reports name the moment validity was judged at
        one_by_one = [
            verify_stored(session, ledger_env.keyring, ledger_env.chain, key, as_of=now).as_dict() for key in ids
        ]
        env = (session, ledger_env.keyring, ledger_env.chain, ids)
        in_process = [r.as_dict() for r in verify_many(*env, workers=1, as_of=now)]
        monkeypatch.setattr(bulk_verify, "PARALLEL_THRESHOLD", 1)
        pooled = [r.as_dict() for r in verify_many(*env, workers=2, as_of=now)]
    failures = [report["firstFailure"] and report["firstFailure"]["name"] for report in one_by_one]
    assert failures == ["anchor", "anchor", "status", None, "status", None, "envelope", None]
    assert in_process == one_by_one
    assert pooled == one_by_one
