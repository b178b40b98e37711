"""ledger.claims: strict parsing of a bank's claim, and the evaluator's verdicts on hand-made facts."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from ledger.claims.evaluate import (
    AttestationFact,
    DeclarationFacts,
    LabelFact,
    Outcome,
    ProductFacts,
    evaluate_claim,
)
from ledger.claims.model import Comparison, Metric, RequiredAssurance, parse_claim
from ledger.errors import InvalidClaimError

PRODUCT = "urn:tanji:acme:coil"
JAN_2027 = int(datetime(2027, 1, 1, tzinfo=UTC).timestamp())
JAN_2028 = int(datetime(2028, 1, 1, tzinfo=UTC).timestamp())


def claim(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "subject": {"productId": PRODUCT},
        "metric": "footprint_per_declared_unit",
        "comparison": "<=",
        "threshold": "2.5",
        "asOf": "2027-06-30",
    }
    return {**base, **overrides}


def facts(
    values: dict[Metric, Decimal | None] | None = None,
    *,
    attestations: tuple[AttestationFact, ...] = (),
    labels: tuple[LabelFact, ...] = (),
) -> list[ProductFacts]:
    default = {Metric.FOOTPRINT_PER_DECLARED_UNIT: Decimal("2.08")}
    declaration = DeclarationFacts(
        "d1", "0x" + "ab" * 32, default if values is None else values, attestations, labels, "kilogram"
    )
    return [ProductFacts(PRODUCT, declaration)]


def test_a_claim_parses_with_its_defaults() -> None:
    parsed = parse_claim(claim())
    assert parsed.subject.product_id == PRODUCT and parsed.metric is Metric.FOOTPRINT_PER_DECLARED_UNIT
    assert parsed.comparison is Comparison.AT_MOST and parsed.threshold == Decimal("2.5")
    assert parsed.required_assurance is RequiredAssurance.NONE
    assert parsed.as_of == datetime(2027, 6, 30, 23, 59, 59, tzinfo=UTC)


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"metric": "carbon_neutral"}, "carbon_neutral"),
        ({"comparison": "=<"}, "=<"),
        ({"threshold": 2.5}, "2.5"),
        ({"threshold": "two"}, "two"),
        ({"threshold": "NaN"}, "NaN"),
        ({"asOf": "30/06/2027"}, "30/06/2027"),
        ({"requiredAssurance": "high"}, "high"),
        ({"subject": {"productId": PRODUCT, "organization": "acme"}}, "exactly one"),
        ({"subject": {"productId": ""}}, "subject.productId"),
        ({"metric": "primary_data_share", "threshold": "120"}, "120"),
        ({"metric": "label_valid", "threshold": "yes", "comparison": "=="}, "yes"),
        ({"metric": "label_grade", "threshold": "A+", "comparison": ">="}, "A+"),
        ({"tresholdd": "1"}, "tresholdd"),
    ],
)
def test_a_malformed_claim_is_refused_naming_the_value(change: dict[str, Any], named: str) -> None:
    with pytest.raises(InvalidClaimError, match=named.replace("+", r"\+")):
        parse_claim(claim(**change))


def test_a_value_within_the_threshold_holds_and_one_above_does_not() -> None:
    held = evaluate_claim(parse_claim(claim()), facts())
    assert held.outcome is Outcome.HOLDS and held.products[0].value == "2.08"
    assert "2.08 kgCO2e per kilogram is <= 2.5" in held.reasons[0]
    failed = evaluate_claim(parse_claim(claim(threshold="2")), facts())
    assert failed.outcome is Outcome.DOES_NOT_HOLD and "not <=" in failed.reasons[0]


def test_claim_on_undisclosed_field_is_not_disclosed_without_the_value() -> None:
    verdict = evaluate_claim(parse_claim(claim(metric="primary_data_share", threshold="50")), facts())
    assert verdict.outcome is Outcome.CANNOT_BE_DETERMINED
    assert verdict.reasons[0].startswith("not disclosed") and verdict.products[0].value is None


def test_no_current_declaration_cannot_be_determined() -> None:
    verdict = evaluate_claim(parse_claim(claim()), [ProductFacts(PRODUCT, None, ("d1 revoked at block 9",))])
    assert verdict.outcome is Outcome.CANNOT_BE_DETERMINED
    assert "no anchored current declaration" in verdict.reasons[0] and "revoked" in verdict.reasons[1]


def test_assurance_below_required_cannot_be_determined() -> None:
    limited = (AttestationFact("verified", "limited", withdrawn=False),)
    reasonable_claim = parse_claim(claim(requiredAssurance="reasonable"))
    verdict = evaluate_claim(reasonable_claim, facts(attestations=limited))
    assert verdict.outcome is Outcome.CANNOT_BE_DETERMINED and "assurance below required" in verdict.reasons[0]
    withdrawn = (AttestationFact("verified", "reasonable", withdrawn=True),)
    assert evaluate_claim(reasonable_claim, facts(attestations=withdrawn)).outcome is Outcome.CANNOT_BE_DETERMINED
    standing = (AttestationFact("qualified", "reasonable", withdrawn=False),)
    assert evaluate_claim(reasonable_claim, facts(attestations=standing)).outcome is Outcome.HOLDS


def test_label_validity_and_grade_follow_the_window_and_status() -> None:
    valid = LabelFact("0x01", "2", "valid", JAN_2027, JAN_2028)
    valid_claim = parse_claim(claim(metric="label_valid", comparison="==", threshold="true"))
    assert evaluate_claim(valid_claim, facts(labels=(valid,))).outcome is Outcome.HOLDS
    revoked = LabelFact("0x02", "2", "revoked", JAN_2027, JAN_2028)
    refused = evaluate_claim(valid_claim, facts(labels=(revoked,)))
    assert refused.outcome is Outcome.DOES_NOT_HOLD and "revoked" in refused.reasons[0]
    grade_claim = parse_claim(claim(metric="label_grade", comparison="<=", threshold="3", asOf="2028-02-01"))
    expired = evaluate_claim(grade_claim, facts(labels=(valid,)))
    assert expired.outcome is Outcome.CANNOT_BE_DETERMINED and "expired on 2028-01-01" in expired.reasons[0]
    in_window = parse_claim(claim(metric="label_grade", comparison="<=", threshold="3"))
    assert evaluate_claim(in_window, facts(labels=(valid,))).outcome is Outcome.HOLDS
    text_grade = parse_claim(claim(metric="label_grade", comparison="==", threshold="A+"))
    assert evaluate_claim(text_grade, facts(labels=(valid,))).outcome is Outcome.DOES_NOT_HOLD


def test_an_organization_claim_fails_when_one_product_fails() -> None:
    org_claim = parse_claim(claim(subject={"organization": "acme"}))
    low = DeclarationFacts("d1", "0x01", {Metric.FOOTPRINT_PER_DECLARED_UNIT: Decimal("1")})
    high = DeclarationFacts("d2", "0x02", {Metric.FOOTPRINT_PER_DECLARED_UNIT: Decimal("9")})
    both = [ProductFacts("p1", low), ProductFacts("p2", high)]
    verdict = evaluate_claim(org_claim, both)
    assert verdict.outcome is Outcome.DOES_NOT_HOLD and verdict.reasons[1].startswith("p2: ")
    assert evaluate_claim(org_claim, both[:1]).outcome is Outcome.HOLDS
    assert evaluate_claim(org_claim, []).outcome is Outcome.CANNOT_BE_DETERMINED
