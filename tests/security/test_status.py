"""Attacks on status: a suspended organization's late-anchored declaration, expired declarations, and labels
resting on revoked or superseded declarations or withdrawn attestations."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from ledger.codes import Assurance, AttestationResult, LabelStatus, Reason
from ledger.service.attestation import attest, withdraw_attestation
from ledger.service.bulk_verify import verify_many
from ledger.service.declaration_actions import revoke
from ledger.service.label_check import check_label
from ledger.service.labels import LabelIssue, issue_label


def epoch(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp())


def test_a_declaration_anchored_after_its_organization_was_suspended_does_not_verify(env: Any) -> None:
    declaration = env.submit()
    assert declaration.status == "pending"  # admitted while acme was active
    env.tanji.client.suspend_member("acme", "audit finding", sender=env.tanji.regulator)
    env.flush()  # anchored while suspended
    with env.sessions() as session:
        in_bulk = verify_many(session, env.keyring, env.chain, [declaration.id], workers=1)
    for report in (env.verify(declaration.id), *in_bulk):
        assert report.verdict == "INVALID" and report.first_failure.name == "key"
        assert "organization suspended" in report.first_failure.detail


def test_a_declaration_past_its_validity_reports_expired_not_tampering(env: Any) -> None:
    declaration = env.submit()
    env.flush()
    assert env.verify(declaration.id, as_of=epoch("2027-06-01")).verdict == "VALID"
    late = env.verify(declaration.id, as_of=epoch("2031-01-01"))
    assert late.verdict == "EXPIRED" and late.first_failure.name == "validity"
    assert [c.name for c in late.checks if c.ok is not True] == ["validity"]  # every integrity check passed
    early = env.verify(declaration.id, as_of=epoch("2020-01-01"))
    assert early.verdict == "NOT-YET-VALID"


def label_on(env: Any, declaration_id: str) -> None:
    tanji = env.tanji
    with env.sessions() as session:
        attest(
            session,
            env.chain,
            declaration_id,
            result=AttestationResult.VERIFIED,
            assurance=Assurance.REASONABLE,
            report=b"verification report",
            sender=tanji.auditor,
        )
        request = LabelIssue("CN-1", declaration_id, "2020-01-01", "2040-01-01", filing_number="CNCA-CFL-2026-1")
        issue_label(session, env.keyring, env.chain, request, tanji.certifier)


def supersede(env: Any, declaration: Any) -> None:
    env.submit(preceding=[declaration.id], supersedes=[declaration.digest])
    env.flush()


def revoke_it(env: Any, declaration: Any) -> None:
    with env.sessions() as session:
        revoke(session, env.chain, declaration.id, Reason.MISSTATEMENT, env.tanji.supplier)


def withdraw(env: Any, declaration: Any) -> None:
    with env.sessions() as session:
        withdraw_attestation(session, env.chain, declaration.id, 0, Reason.DATA_ERROR, env.tanji.auditor)


@pytest.mark.parametrize(
    ("action", "status"),
    [
        (revoke_it, LabelStatus.DECLARATION_REVOKED),
        (supersede, LabelStatus.DECLARATION_SUPERSEDED),
        (withdraw, LabelStatus.ATTESTATION_WITHDRAWN),
    ],
    ids=["declaration-revoked", "declaration-superseded", "attestation-withdrawn"],
)
def test_a_label_whose_basis_fell_is_invalid_in_label_status_and_verify(env: Any, action: Any, status: Any) -> None:
    declaration = env.submit()
    env.flush()
    label_on(env, declaration.id)
    with env.sessions() as session:
        assert check_label(session, env.keyring, env.chain, "CN-1").valid
    action(env, declaration)
    with env.sessions() as session:
        check = check_label(session, env.keyring, env.chain, "CN-1")
    assert check.status is status and not check.valid and check.as_dict()["valid"] is False
    labels = env.verify(declaration.id).info["labels"]
    assert [label["status"] for label in labels] == [status.text]
