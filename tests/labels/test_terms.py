"""Label terms: kinds, schemes and filing numbers are checked, and the terms hash commits to every field."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from ledger.canonical import canonical_bytes
from ledger.errors import CertifiedValueMismatchError, GradeMismatchError, InvalidLabelTermsError
from ledger.hashing import keccak256
from ledger.labels.benchmarks import benchmark_from_document
from ledger.labels.rules import (
    certified_value_matches_declaration,
    footprint_per_declared_unit,
    grade_from_benchmark,
)
from ledger.labels.terms import LabelKind, LabelTerms, filing_number_of, scheme_of, terms_hash_of_stored

TERMS = LabelTerms(
    serial="CN-CL-2026-000001",
    kind=LabelKind.CARBON_FOOTPRINT,
    scheme="national-2025",
    filing_number="ZJ-TBS-2026-000123",
    value=Decimal("2.08"),
    declared_unit="kilogram",
    product_id="urn:tanji:acme:coil",
    declaration_id="d-1",
    declaration_digest="0x" + "ab" * 32,
    valid_from="2026-01-01T00:00:00+00:00",
    valid_until="2029-01-01T00:00:00+00:00",
    grade="B",
    score=Decimal("75"),
)
BENCHMARK = benchmark_from_document(
    {
        "category": "cn-pcf-2025-06",
        "version": "t-1",
        "unit": "kilogram",
        "source": "test thresholds",
        "bands": [
            {"lower": "0", "upper": "1.8", "grade": "A", "score": "90"},
            {"lower": "1.8", "upper": None, "grade": "B", "score": "75"},
        ],
    }
)


def test_the_terms_hash_is_keccak_of_the_canonical_terms_json() -> None:
    assert TERMS.terms_hash() == keccak256(canonical_bytes(TERMS.document()))
    assert terms_hash_of_stored(TERMS.canonical().decode()) == TERMS.terms_hash()
    assert TERMS.document()["unit"] == "kgCO2e/kilogram" and TERMS.document()["value"] == "2.08"


@pytest.mark.parametrize(
    "change",
    [
        {"value": Decimal("2.07")},
        {"grade": "A"},
        {"filing_number": "ZJ-TBS-2026-000124"},
        {"kind": LabelKind.CARBON_NEUTRAL},
        {"valid_until": "2030-01-01T00:00:00+00:00"},
        {"score": None},
    ],
)
def test_changing_any_term_changes_the_terms_hash(change: dict[str, object]) -> None:
    assert dataclasses.replace(TERMS, **change).terms_hash() != TERMS.terms_hash()  # type: ignore[arg-type]


@pytest.mark.parametrize("number", ["ZJ-TBS-2026-000123", "CNCA-CFL-2025-0042", "SH-2026-1"])
def test_well_formed_filing_numbers_are_accepted(number: str) -> None:
    assert filing_number_of(f" {number} ") == number


@pytest.mark.parametrize("number", ["", "zj-tbs-2026-1", "ZJ-TBS-26-1", "ZJ TBS 2026 1", "2026-000123", "ZJ-TBS-2026-"])
def test_malformed_filing_numbers_are_refused_with_the_expected_shape(number: str) -> None:
    with pytest.raises(InvalidLabelTermsError, match=r"备案号.*e\.g\. ZJ-TBS-2026-000123"):
        filing_number_of(number)


def test_unknown_kinds_and_schemes_are_refused_naming_the_known_ones() -> None:
    with pytest.raises(InvalidLabelTermsError, match="carbon-footprint, carbon-reduction, carbon-neutral"):
        LabelKind.parse("green")
    with pytest.raises(InvalidLabelTermsError, match="national-2025, zhejiang, shanghai"):
        scheme_of("mars")
    assert LabelKind.parse("Carbon-Neutral") is LabelKind.CARBON_NEUTRAL


def test_the_footprint_per_declared_unit_divides_by_the_declared_amount() -> None:
    pcf = {"pcfExcludingBiogenicUptake": "20.8", "declaredUnitAmount": "10", "declaredUnitOfMeasurement": "kilogram"}
    assert footprint_per_declared_unit({"pcf": pcf}) == (Decimal("2.08"), "kilogram")


def test_a_certified_value_other_than_the_declarations_is_refused_naming_both() -> None:
    certified_value_matches_declaration(
        certified=Decimal("2.080"), declared=Decimal("2.08"), unit="kilogram", declaration="d-1"
    )
    with pytest.raises(CertifiedValueMismatchError, match=r"certified value 1\.9 .* declaration d-1's footprint 2\.08"):
        certified_value_matches_declaration(
            certified=Decimal("1.9"), declared=Decimal("2.08"), unit="kilogram", declaration="d-1"
        )


def test_grade_not_matching_benchmark_is_refused() -> None:
    assert grade_from_benchmark(
        BENCHMARK, value=Decimal("2.08"), unit="kilogram", requested_grade=None, requested_score=None
    ) == ("B", Decimal("75"))
    with pytest.raises(GradeMismatchError, match="grade 'A' requested, but benchmark cn-pcf-2025-06 t-1 gives 'B'"):
        grade_from_benchmark(
            BENCHMARK, value=Decimal("2.08"), unit="kilogram", requested_grade="A", requested_score=None
        )
    with pytest.raises(GradeMismatchError, match="score 90 requested"):
        grade_from_benchmark(
            BENCHMARK, value=Decimal("2.08"), unit="kilogram", requested_grade="B", requested_score=Decimal("90")
        )


def test_a_benchmark_of_another_declared_unit_cannot_grade_the_value() -> None:
    with pytest.raises(GradeMismatchError, match="per 'kilogram', the label's value is per 'liter'"):
        grade_from_benchmark(BENCHMARK, value=Decimal("2"), unit="liter", requested_grade=None, requested_score=None)


def test_terms_read_back_from_their_json_are_the_same_terms() -> None:
    from ledger.labels.terms import BenchmarkRef, terms_from_document

    graded = dataclasses.replace(TERMS, benchmark=BenchmarkRef("cn-pcf-2025-06", "t-1", "0x" + "cd" * 32))
    assert terms_from_document(graded.document()) == graded
    broken = graded.document() | {"filingNumber": "nope"}
    with pytest.raises(InvalidLabelTermsError, match="filing number"):
        terms_from_document(broken)
    with pytest.raises(InvalidLabelTermsError, match="lack or mistype field 'kind'"):
        terms_from_document({k: v for k, v in graded.document().items() if k != "kind"})
