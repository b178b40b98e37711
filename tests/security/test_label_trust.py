"""Attacks on carbon labels: a label on an unattested declaration, a grade or value the evidence does not give,
stored terms altered after issue, a revoked or expired label presented as valid; and the products downstream of a
fallen declaration flagged for re-evaluation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from ledger.codes import Assurance, AttestationResult, LabelStatus, Reason
from ledger.errors import (
    CertifiedValueMismatchError,
    ChainRejectedError,
    GradeMismatchError,
    UnattestedDeclarationError,
    UnknownCategoryError,
)
from ledger.service.attestation import attest
from ledger.service.declaration_actions import revoke
from ledger.service.label_benchmarks import import_benchmark
from ledger.service.label_check import check_label
from ledger.service.label_impact import label_impact
from ledger.service.labels import IssuedLabel, LabelIssue, change_label, issue_label, serial_id
from ledger.storage.tables import LabelTermsRow

BENCHMARK = (
    Path(__file__).resolve().parents[2] / "examples" / "label-benchmarks" / "EXAMPLE-NOT-OFFICIAL-steel-bf-bof.json"
)
STEEL = "cn-pcf-2025-06"


def attested(env: Any, result: AttestationResult = AttestationResult.VERIFIED, **payload: Any) -> Any:
    declaration = env.submit(**payload)
    env.flush()
    with env.sessions() as session:
        attest(
            session,
            env.chain,
            declaration.id,
            result=result,
            assurance=Assurance.REASONABLE,
            report=b"verification report",
            sender=env.tanji.auditor,
        )
    return declaration


def issue(env: Any, declaration_id: str, serial: str = "CN-CL-1", **options: Any) -> IssuedLabel:
    window = {
        "valid_from": options.pop("valid_from", "2020-01-01"),
        "valid_until": options.pop("valid_until", "2040-01-01"),
    }
    request = LabelIssue(serial, declaration_id, filing_number="CNCA-CFL-2026-0042", **window, **options)
    with env.sessions() as session:
        return issue_label(session, env.keyring, env.chain, request, env.tanji.certifier)


def stored_terms(env: Any) -> list[LabelTermsRow]:
    with env.sessions() as session:
        return list(session.exec(select(LabelTermsRow)).all())


def with_benchmark(env: Any) -> None:
    with env.sessions() as session:
        import_benchmark(session, BENCHMARK.read_text(encoding="utf-8"), fmt="json")


def check(env: Any, serial: str = "CN-CL-1", **options: Any) -> Any:
    with env.sessions() as session:
        return check_label(session, env.keyring, env.chain, serial, **options)


def test_label_on_unattested_declaration_is_refused(env: Any) -> None:
    bare = env.submit()
    env.flush()
    with pytest.raises(UnattestedDeclarationError, match="no verified or qualified attestation"):
        issue(env, bare.id)
    rejected = attested(env, AttestationResult.REJECTED, product="urn:tanji:acme:slab")
    with pytest.raises(ChainRejectedError) as excinfo:  # forcing the rejected attestation: the contract refuses
        issue(env, rejected.id, attestation_index=0)
    assert excinfo.value.name == "TanjiAttestationNotPositive"
    assert stored_terms(env) == [] and env.chain.label(serial_id("CN-CL-1")) is None


def test_label_terms_are_committed_on_chain_and_proved_by_the_public_check(env: Any) -> None:
    declaration = attested(env)
    with_benchmark(env)
    issued = issue(env, declaration.id, category=STEEL)
    assert (issued.terms.grade, str(issued.terms.score), str(issued.terms.value)) == ("B", "75", "2.08")
    record = env.chain.label(serial_id("CN-CL-1"))
    (row,) = stored_terms(env)
    assert record.terms_hash == issued.terms.terms_hash() and row.terms_hash == "0x" + record.terms_hash.hex()
    found = check(env).as_dict()
    assert (found["valid"], found["status"], found["reason"], found["termsVerified"]) == (True, "valid", None, True)
    assert (found["kind"], found["value"], found["unit"], found["grade"]) == (
        "carbon-footprint",
        "2.08",
        "kgCO2e/kilogram",
        "B",
    )
    assert found["terms"]["benchmark"]["category"] == STEEL and found["filingNumber"] == "CNCA-CFL-2026-0042"
    assert found["anchor"]["root"].startswith("0x") and found["declaration"]["valid"] is True


def test_grade_not_matching_benchmark_is_refused(env: Any) -> None:
    declaration = attested(env)
    with_benchmark(env)
    with pytest.raises(GradeMismatchError, match="grade 'A' requested, but benchmark cn-pcf-2025-06 example-1 gives"):
        issue(env, declaration.id, category=STEEL, grade="A")
    with pytest.raises(UnknownCategoryError, match="'cn-pcf-2025-42'"):
        issue(env, declaration.id, category="cn-pcf-2025-42", grade="B")
    assert stored_terms(env) == [] and env.chain.label(serial_id("CN-CL-1")) is None


def test_certified_value_other_than_the_declarations_footprint_is_refused(env: Any) -> None:
    declaration = attested(env)
    with pytest.raises(CertifiedValueMismatchError, match=r"certified value 1\.5 kgCO2e/kilogram .* footprint 2\.08"):
        issue(env, declaration.id, value="1.5")
    issued = issue(env, declaration.id, kind="carbon-reduction", value="0.4")  # a reduction claim states its own value
    assert str(issued.terms.value) == "0.4" and check(env).valid


def test_tampered_stored_terms_are_refused_by_the_public_check(env: Any) -> None:
    declaration = attested(env)
    issue(env, declaration.id)
    with env.sessions() as session:
        row = session.get(LabelTermsRow, "CN-CL-1")
        assert row is not None
        row.terms = row.terms.replace('"value":"2.08"', '"value":"1.08"')
        session.add(row)
        session.commit()
    found = check(env)
    data = found.as_dict()
    assert not found.valid and data["status"] == "terms_mismatch" and data["valid"] is False
    assert "altered after issue" in data["reason"] and data["terms"] is None and data["termsVerified"] is False


def test_revoked_label_presented_as_valid_is_refused(env: Any) -> None:
    declaration = attested(env)
    issue(env, declaration.id)
    assert check(env).valid
    change_label(env.chain, "CN-CL-1", "revoke", Reason.REGULATORY_ORDER, env.tanji.regulator)
    data = check(env).as_dict()
    assert (data["valid"], data["status"]) == (False, "revoked")
    assert "revoked" in data["reason"] and data["termsVerified"] is True


def test_expired_label_presented_as_valid_is_refused(env: Any) -> None:
    declaration = attested(env)
    issue(env, declaration.id, valid_from="2020-01-01", valid_until="2021-01-01")
    data = check(env).as_dict()
    assert (data["valid"], data["status"], data["reason"]) == (False, "expired", "the label has expired")
    issue(env, declaration.id, serial="CN-CL-2", valid_from="2020-01-01", valid_until="2040-01-01")
    early = check(env, "CN-CL-2", now=1_500_000_000)  # 2017: before the window opens
    assert (early.valid, early.status) == (False, LabelStatus.NOT_YET_VALID)


def test_products_downstream_of_a_revoked_declaration_are_flagged_for_re_evaluation(env: Any) -> None:
    coil = attested(env)
    part = {"productId": "urn:tanji:acme:hot-rolled-coil", "quantity": "2", "unit": "kilogram"}
    env.submit(product="urn:tanji:acme:bracket", bom=[part])
    env.submit(
        product="urn:tanji:acme:frame",
        bom=[{"productId": "urn:tanji:acme:bracket", "quantity": "3", "unit": "kilogram"}],
    )
    env.submit(product="urn:tanji:acme:unrelated")
    env.flush()
    issue(env, coil.id)
    with env.sessions() as session:
        standing = label_impact(session, env.keyring, env.chain, "CN-CL-1")
    assert not standing.flagged and [p.product_id for p in standing.products] == [
        "urn:tanji:acme:bracket",
        "urn:tanji:acme:frame",
    ]
    with env.sessions() as session:
        revoke(session, env.chain, coil.id, Reason.MISSTATEMENT, env.tanji.supplier)
        fallen = label_impact(session, env.keyring, env.chain, "CN-CL-1").as_dict()
    assert fallen["needsReevaluation"] is True and fallen["status"] == "declaration_revoked"
    assert [(p["productId"], p["direct"], p["via"]) for p in fallen["products"]] == [
        ("urn:tanji:acme:bracket", True, "urn:tanji:acme:hot-rolled-coil"),
        ("urn:tanji:acme:frame", False, "urn:tanji:acme:bracket"),
    ]
