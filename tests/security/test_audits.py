"""Attacks on the audit workflow: reading without an assignment, assigning a non-auditor or oneself, attesting one's
own organization's declaration or without the auditor role, and presenting an altered attestation report."""

from __future__ import annotations

import json
from typing import Any

import pytest
from eth_account import Account
from sqlmodel import select

from ledger.codes import Assurance, AttestationResult, Reason
from ledger.errors import (
    AccessDeniedError,
    AttestationReportError,
    NotAnAuditorError,
    NotAssignedError,
    NotDeclarantError,
    SelfAuditError,
)
from ledger.service.access import read_payload
from ledger.service.attestation import attest, withdraw_attestation
from ledger.service.attestation_reports import check_report
from ledger.service.audit_assignments import assign_auditor, assignments_of_auditor, unassign_auditor
from ledger.service.audit_work import work_view
from ledger.service.declaration_reads import view_declaration
from ledger.service.visibility import Viewer
from ledger.storage.audit_tables import AttestationReportRow, AuditAssignmentRow

AUDITOR = Viewer("audit", frozenset({"auditor"}))


def anchored(env: Any, **options: Any) -> Any:
    declaration = env.submit(**options)
    env.flush()
    return declaration


def verified_attestation(env: Any, key: str, *, sender: Any = None, findings: tuple[str, ...] = ()) -> Any:
    with env.sessions() as session:
        return attest(
            session,
            env.chain,
            key,
            result=AttestationResult.VERIFIED,
            assurance=Assurance.LIMITED,
            sender=sender or env.tanji.auditor,
            standard="ISO 14067",
            findings=findings,
        )


def test_an_unassigned_auditor_reading_a_payload_is_refused(env: Any) -> None:
    declaration = anchored(env)
    with env.sessions() as session:
        with pytest.raises(AccessDeniedError, match="'audit' may not read"):
            read_payload(session, env.keyring, declaration.id, "audit")
        before = view_declaration(session, env.keyring, env.chain, declaration.id, AUDITOR)
        with pytest.raises(NotAssignedError, match="not assigned to audit"):
            work_view(session, env.keyring, env.chain, declaration.id, "audit")
        assign_auditor(session, env.chain, declaration.id, "audit", by="acme")
        assigned = view_declaration(session, env.keyring, env.chain, declaration.id, AUDITOR)
        payload = read_payload(session, env.keyring, declaration.id, "audit")
        unassign_auditor(session, declaration.id, "audit", by="acme")
        with pytest.raises(AccessDeniedError):
            read_payload(session, env.keyring, declaration.id, "audit")
        after = view_declaration(session, env.keyring, env.chain, declaration.id, AUDITOR)
    assert (before.access, before.payload) == ("public", None)
    assert assigned.access == "assigned" and assigned.payload == payload
    assert (after.access, after.payload) == ("public", None)


def test_assigning_a_non_auditor_is_refused(env: Any) -> None:
    declaration = anchored(env)
    with env.sessions() as session:
        with pytest.raises(NotAnAuditorError, match="'rival' holds supplier, not the auditor role"):
            assign_auditor(session, env.chain, declaration.id, "rival", by="acme")
        with pytest.raises(NotAnAuditorError, match="'nobody' is not a registered organization"):
            assign_auditor(session, env.chain, declaration.id, "nobody", by="acme")
        assert session.exec(select(AuditAssignmentRow)).all() == []  # nothing half-written


def test_assigning_the_declarant_as_its_own_auditor_is_refused(env: Any) -> None:
    declaration = anchored(env)
    with env.sessions() as session, pytest.raises(SelfAuditError, match="'acme' declared"):
        assign_auditor(session, env.chain, declaration.id, "acme", by="acme")


def test_an_assignment_by_another_organization_is_refused(env: Any) -> None:
    declaration = anchored(env)
    with env.sessions() as session:
        with pytest.raises(NotDeclarantError, match="'rival' did not declare"):
            assign_auditor(session, env.chain, declaration.id, "audit", by="rival")
        assign_auditor(session, env.chain, declaration.id, "audit", by="acme")
        with pytest.raises(NotDeclarantError):
            unassign_auditor(session, declaration.id, "audit", by="rival")
        assert [item.declaration_id for item in assignments_of_auditor(session, "audit")] == [declaration.id]


def test_an_auditor_of_the_declarants_own_organization_attesting_is_refused(env: Any) -> None:
    both = Account.create()  # one organization holding both roles declares, then tries to attest itself
    env.tanji.client.register_member("both", both.address, ["supplier", "auditor"], sender=env.tanji.chain.operator)
    env.tanji.chain.fund(both.address)
    declaration = anchored(env, account=both, org="both")
    with pytest.raises(SelfAuditError, match="belongs to 'both', the declarant"):
        verified_attestation(env, declaration.id, sender=both)
    assert env.chain.attestations(bytes.fromhex(declaration.digest[2:])) == []
    with env.sessions() as session:
        assert session.exec(select(AttestationReportRow)).all() == []


def test_a_non_auditor_attesting_is_refused(env: Any) -> None:
    declaration = anchored(env)
    with pytest.raises(NotAnAuditorError, match=f"wallet {env.rival.address} is not an active key"):
        verified_attestation(env, declaration.id, sender=env.rival)
    assert env.chain.attestations(bytes.fromhex(declaration.digest[2:])) == []


def test_a_report_with_an_unknown_standard_is_refused_before_the_chain(env: Any) -> None:
    declaration = anchored(env)
    with env.sessions() as session, pytest.raises(AttestationReportError, match="unknown standard 'ISO 9001'"):
        attest(
            session,
            env.chain,
            declaration.id,
            result=AttestationResult.VERIFIED,
            assurance=Assurance.LIMITED,
            sender=env.tanji.auditor,
            standard="ISO 9001",
        )
    assert env.chain.attestations(bytes.fromhex(declaration.digest[2:])) == []


def test_a_tampered_report_fails_verification(env: Any) -> None:
    declaration = anchored(env)
    done = verified_attestation(env, declaration.id, findings=("meter readings reconcile with invoices",))
    listed = env.verify(declaration.id).info["attestations"]
    assert listed[0]["reportCheck"] == "ok" and listed[0]["standard"] == "ISO 14067"
    assert listed[0]["findings"] == ["meter readings reconcile with invoices"] and listed[0]["standing"] is True
    onchain = env.chain.attestations(bytes.fromhex(declaration.digest[2:]))[0]
    assert check_report(done.report, onchain, declaration.digest).ok
    altered = {**done.report, "findings": ["no findings"]}
    refused = check_report(altered, onchain, declaration.digest)
    assert not refused.ok and "altered" in refused.detail
    with env.sessions() as session:  # someone edits the kept report in the database
        row = session.exec(select(AttestationReportRow)).one()
        row.report = json.dumps(altered)
        session.add(row)
        session.commit()
    tampered = env.verify(declaration.id).info["attestations"][0]
    assert tampered["reportCheck"].startswith("failed: the report hashes to")
    assert "findings" not in tampered and "standard" not in tampered  # an altered report's contents are not shown
    with env.sessions() as session:  # or replaces it with something that is not even JSON
        row = session.exec(select(AttestationReportRow)).one()
        row.report = "{truncated"
        session.add(row)
        session.commit()
    garbled = env.verify(declaration.id).info["attestations"][0]
    assert garbled["reportCheck"] == "failed: the report is not a JSON object"


def test_a_report_claiming_another_result_than_the_chain_fails_the_check(env: Any) -> None:
    declaration = anchored(env)
    done = verified_attestation(env, declaration.id)
    onchain = env.chain.attestations(bytes.fromhex(declaration.digest[2:]))[0]
    forged = dict(onchain, result="qualified")  # the report says verified; an attestation recording qualified
    check = check_report(done.report, forged, declaration.digest)
    assert not check.ok and "result 'verified'" in check.detail


def test_a_withdrawn_attestation_is_listed_with_its_reason(env: Any) -> None:
    declaration = anchored(env)
    verified_attestation(env, declaration.id)
    with env.sessions() as session:
        withdraw_attestation(session, env.chain, declaration.id, 0, Reason.MISSTATEMENT, env.tanji.auditor)
    listed = env.verify(declaration.id).info["attestations"]
    assert len(listed) == 1
    assert listed[0]["withdrawn"] is True and listed[0]["withdrawReasonName"] == "misstatement"
    assert listed[0]["standing"] is False and listed[0]["reportCheck"] == "ok"


def test_the_verified_share_of_a_three_tier_chain_follows_the_standing_attestation(env: Any) -> None:
    from ledger.service.rollup import RollupRequest, rollup_product

    def line(product: str, quantity: str) -> dict[str, str]:
        return {"productId": product, "quantity": quantity, "unit": "kilogram"}

    # every declaration emits 0.30 kgCO2e/kg itself (the example's directEmissions 0.21 + 0.09)
    ore = anchored(env, account=env.rival, org="rival", product="urn:tanji:rival:ore", bom=[])
    anchored(env, product="urn:tanji:acme:coil", bom=[line("urn:tanji:rival:ore", "2")])
    anchored(env, product="urn:tanji:acme:part", bom=[line("urn:tanji:acme:coil", "0.5")])

    def part() -> Any:
        with env.sessions() as session:
            return rollup_product(session, env.keyring, env.chain, RollupRequest("urn:tanji:acme:part")).report

    assert part().verified_share == 0.0
    verified_attestation(env, ore.id)  # tier 2 attested: 0.30 x 2 x 0.5 = 0.30 of part's 0.30 + 0.5 x 0.90 = 0.75
    attested = part()
    assert attested.pcf_excluding_biogenic_uptake == pytest.approx(0.75)
    assert attested.verified_share == pytest.approx(40.0)
    with env.sessions() as session:
        withdraw_attestation(session, env.chain, ore.id, 0, Reason.DATA_ERROR, env.tanji.auditor)
    assert part().verified_share == 0.0  # a withdrawn attestation no longer counts


def test_the_assigned_auditor_sees_the_evidence_hashes_and_the_totals_check(env: Any) -> None:
    from factories import make_payload, signed

    payload = make_payload(env.tanji.supplier.address, pcf="2.5")  # fossil 2.5 stated, totals 2.5: they match
    evidence = [{"name": "electricity bills 2025.pdf", "sha256": "ab" * 32}]
    payload["extensions"][0]["data"]["evidence"] = evidence
    declaration = env.ingest.submit(signed(env, env.tanji.supplier, payload=payload))
    env.flush()
    with env.sessions() as session:
        assign_auditor(session, env.chain, declaration.id, "audit", by="acme")
        work = work_view(session, env.keyring, env.chain, declaration.id, "audit")
    assert work.evidence == evidence and not work.computed
    assert work.arithmetic == {"kind": "totals", "passed": True, "discrepancies": []}
    assert [item["id"] for item in work.emission_factors] == ["ef:cn-bof-gas", "ef:cn-natural-gas"]
