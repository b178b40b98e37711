"""Attacks on admission: a refused submission must leave no trace, and only the declaring organization can
supersede its declarations."""

from __future__ import annotations

import json
from typing import Any

from eth_account import Account
from factories import make_payload, signed
from sqlmodel import select

from ledger.storage.tables import DeclarationRow, SupersessionConsentRow


def consents(env: Any) -> list[SupersessionConsentRow]:
    with env.sessions() as session:
        return list(session.exec(select(SupersessionConsentRow)).all())


def test_rejected_submission_cannot_supersede_another_orgs_declaration(env: Any) -> None:
    victim = env.submit()
    env.flush()
    intruder = Account.create()  # never registered: claims to be acme
    result = env.submit(intruder, org="acme", preceding=[victim.id])
    assert result.status == "rejected" and "NotAMemberError" in result.error
    assert env.row(victim.id).superseded_by is None
    assert env.verify(victim.id).valid


def test_another_organization_cannot_supersede_by_listing_a_predecessor(env: Any) -> None:
    victim = env.submit()
    result = env.submit(env.rival, org="rival", product="urn:tanji:rival:coil", preceding=[victim.id])
    assert result.status == "rejected" and "NotDeclarantError" in result.error
    assert env.row(victim.id).superseded_by is None and consents(env) == []


def test_a_supersession_consent_signed_by_another_wallet_is_refused(env: Any) -> None:
    victim = env.submit()
    payload = make_payload(env.tanji.supplier.address, preceding=[victim.id])
    envelope = json.loads(signed(env, payload=payload, supersedes=[victim.digest]))
    forged = json.loads(signed(env, env.rival, org="rival", supersedes=[victim.digest]))
    envelope["supersessions"][0]["signature"] = forged["supersessions"][0]["signature"]
    result = env.ingest.submit(json.dumps(envelope))
    assert result.status == "rejected" and "SupersessionConsentError" in result.error
    assert env.row(victim.id).superseded_by is None and consents(env) == []


def test_a_consent_for_an_unlisted_predecessor_is_refused(env: Any) -> None:
    victim = env.submit()
    result = env.submit(supersedes=[victim.digest])  # consents without listing it in precedingPfIds
    assert result.status == "rejected" and "not a declaration of this ledger listed in precedingPfIds" in result.error
    assert consents(env) == []


def test_a_submission_rejected_at_anchoring_leaves_no_supersession_hint_or_consent(env: Any) -> None:
    victim = env.submit()
    env.flush()
    successor = env.submit(preceding=[victim.id], supersedes=[victim.digest])
    assert env.row(victim.id).superseded_by == successor.id and len(consents(env)) == 1
    env.tanji.client.suspend_member("acme", "audit finding", sender=env.tanji.regulator)
    env.anchoring.membership.forget()
    with env.sessions() as session:  # as if ingested while the chain was down: re-checked at anchoring
        row = session.get(DeclarationRow, successor.id)
        row.status = "unverified"
        session.add(row)
        session.commit()
    assert env.flush().rejected == 1
    assert env.row(successor.id).status == "rejected"
    assert env.row(victim.id).superseded_by is None and consents(env) == []
