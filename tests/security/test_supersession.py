"""Attacks on supersession: it lives on chain, made by the declarant's signed consent; whoever writes the
database can neither make nor undo one, and a relayer cannot redirect a consent."""

from __future__ import annotations

import json
from typing import Any

from factories import make_payload, signed
from sqlmodel import select

from ledger.service.bundle import export_proof, verify_bundle
from ledger.storage.tables import DeclarationRow, SupersessionConsentRow


def set_column(env: Any, declaration_id: str, **values: Any) -> None:
    with env.sessions() as session:
        row = session.get(DeclarationRow, declaration_id)
        for name, value in values.items():
            setattr(row, name, value)
        session.add(row)
        session.commit()


def supersede(env: Any) -> tuple[Any, Any]:
    first = env.submit()
    env.flush()
    second = env.submit(preceding=[first.id], supersedes=[first.digest], pcf="1.95")
    assert env.flush().superseded == 1
    return first, second


def test_writing_the_database_cannot_make_a_supersession(env: Any) -> None:
    first, other = env.submit(), env.submit()
    env.flush()
    set_column(env, first.id, superseded_by=other.id)
    report = env.verify(first.id)
    assert report.valid and report.verdict == "VALID"
    status = next(check for check in report.checks if check.name == "status")
    assert report.info["pendingSuccessors"] == [other.id] and "pending on-chain supersession" in status.detail


def test_writing_the_database_cannot_undo_a_supersession(env: Any) -> None:
    first, second = supersede(env)
    set_column(env, first.id, superseded_by=None)
    report = env.verify(first.id)
    assert report.verdict == "SUPERSEDED" and second.digest in report.first_failure.detail


def test_a_bundle_exported_before_supersession_reports_superseded_later(env: Any) -> None:
    first = env.submit()
    env.flush()
    with env.sessions() as session:
        _, bundle = export_proof(session, env.keyring, first.id, env.chain.trust_anchors)
    assert verify_bundle(bundle, env.chain, env.chain.trust_anchors).verdict == "VALID"
    env.submit(preceding=[first.id], supersedes=[first.digest])
    env.flush()
    later = verify_bundle(bundle, env.chain, env.chain.trust_anchors)
    assert later.verdict == "SUPERSEDED" and later.first_failure.name == "status"


def test_a_successor_without_consent_leaves_the_predecessor_current_on_chain(env: Any) -> None:
    first = env.submit()
    env.flush()
    second = env.submit(preceding=[first.id])
    assert any("no supersession consent" in w for w in second.warnings)
    env.flush()
    assert env.verify(first.id).valid  # until the declarant runs `tanji declare supersede`


def test_the_relayer_cannot_redirect_a_consent_to_another_declaration(env: Any) -> None:
    first, bystander = env.submit(), env.submit()
    env.flush()
    second = env.submit(preceding=[first.id], supersedes=[first.digest])
    with env.sessions() as session:  # the operator rewrites the pending consent to target another declaration
        consent = session.exec(select(SupersessionConsentRow)).one()
        session.delete(consent)
        session.flush()
        session.add(
            SupersessionConsentRow(
                successor_id=second.id, predecessor_digest=bystander.digest, signature=consent.signature
            )
        )
        session.commit()
    assert env.flush().superseded == 0
    with env.sessions() as session:
        refused = session.exec(select(SupersessionConsentRow)).one()
    assert refused.status == "refused" and "TanjiSupersessionNotConsented" in refused.detail
    assert env.verify(bystander.digest).valid


def test_a_consent_for_a_predecessor_submitted_in_the_same_call_is_relayed(env: Any) -> None:
    supplier = env.tanji.supplier
    first = make_payload(supplier.address)
    first_envelope = signed(env, payload=first)
    digest = json.loads(first_envelope)["digest"]
    second = signed(env, payload=make_payload(supplier.address, preceding=[first["id"]]), supersedes=[digest])
    results = env.ingest.submit_many([first_envelope, second])
    assert [r.status for r in results] == ["pending", "pending"], [r.error for r in results]
    assert env.flush().superseded == 1
    assert env.verify(first["id"]).verdict == "SUPERSEDED"
