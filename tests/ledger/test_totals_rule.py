"""PCF totals: three PACT v3 readings as named rules; a stated total that the default reading of its components
does not give is a warning naming the reading it does match (checked on the PACT v3 examples)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from factories import SHARED_PACT, make_payload, new_account

from ledger.declarations.envelope import open_envelope, sign_declaration
from ledger.pact.totals import DEFAULT_RULE, RULES, check_totals, totals_rule
from ledger.pact.validate import validate_product_footprint
from ledger.signing import SigningDomain


def example(number: int) -> dict[str, Any]:
    document = json.loads((SHARED_PACT / "spec-v3" / "examples" / f"example-{number}.json").read_text())
    found: dict[str, Any] = document.get("data", document)
    return found


def test_the_default_rule_is_the_field_description() -> None:
    assert DEFAULT_RULE.id == "pact-v3-description/1"
    assert sorted(RULES) == ["pact-v3-description", "pact-v3-examples", "pact-v3-x-comment"]
    assert totals_rule("pact-v3-examples/1") is RULES["pact-v3-examples"]
    with pytest.raises(ValueError, match="unknown totals rule 'pact-v3-examples/2'; use one of"):
        totals_rule("pact-v3-examples/2")


def test_example_1_matches_only_the_examples_reading() -> None:
    """example-1: fossil 0.35, land-management fossil 0.03, land-management biogenic CO2 0.004, biogenic non-CO2
    0.002, uptake -1.61.  description: 0.35 + 0.03 + 0.004 + 0.002 = 0.386; x-comment (no land-management fossil):
    0.356; examples (no biogenic non-CO2): 0.384 = the stated 0.384.  Including: 0.384 - 1.61 = -1.226, stated
    -1.23 (two decimals, within 0.005)."""
    found = {m.field: m for m in check_totals(example(1)["pcf"])}
    excluding = found["pcfExcludingBiogenicUptake"]
    assert {rule: float(value) for rule, value in excluding.expected.items()} == pytest.approx(
        {"pact-v3-description/1": 0.386, "pact-v3-x-comment/1": 0.356, "pact-v3-examples/1": 0.384}
    )
    assert excluding.matches == ("pact-v3-examples/1",)
    assert found["pcfIncludingBiogenicUptake"].matches == ("pact-v3-examples/1",)


def test_example_3_all_fossil_matches_every_reading() -> None:
    """example-3: fossil 77 and nothing else; every reading gives 77 = the stated 77.0."""
    assert check_totals(example(3)["pcf"]) == []


def test_a_total_that_matches_no_reading_says_so_with_every_sum() -> None:
    pcf = {**example(2)["pcf"], "pcfExcludingBiogenicUptake": "7.00"}
    (mismatch,) = [m for m in check_totals(pcf) if m.field == "pcfExcludingBiogenicUptake"]
    assert mismatch.matches == ()
    assert "states 7.00 but its components add up to 5.164 under pact-v3-description/1" in mismatch.message()
    assert "pact-v3-examples/1 5.14" in mismatch.message()


def test_validation_warns_on_example_2_naming_the_matching_reading() -> None:
    """example-2: fossil 4.78 + land-management fossil 0.36 = 5.14 (stated); + biogenic non-CO2 0.024 = 5.164."""
    warnings = [str(w) for w in validate_product_footprint(example(2))]
    assert (
        "/pcf/pcfExcludingBiogenicUptake: states 5.14 but its components add up to 5.164 under "
        "pact-v3-description/1; it matches reading pact-v3-examples/1" in " ".join(warnings)
    )


def test_an_opened_declaration_carries_the_totals_warning() -> None:
    account = new_account()
    payload = make_payload(account.address, pcf="2.08")
    payload["pcf"]["biogenicNonCO2Emissions"] = "0.10"  # description total: 2.18; examples reading: 2.08
    domain = SigningDomain(chain_id=1, verifying_contract="0x" + "11" * 20)
    envelope = sign_declaration(payload, domain=domain, private_key=account.key, declarant=account.address)
    opened = open_envelope(envelope)
    messages = [str(w) for w in opened.warnings if w.path == "/pcf/pcfExcludingBiogenicUptake"]
    assert messages == [
        "/pcf/pcfExcludingBiogenicUptake: states 2.08 but its components add up to 2.18 under pact-v3-description/1; "
        "it matches reading pact-v3-examples/1 (see docs/accounting.md, PCF totals)"
    ]


def test_a_component_outside_the_plain_decimal_form_still_counts_as_before() -> None:
    """Components are parsed once through the memoised plain-decimal reader; other forms keep the old reading."""
    assert (
        check_totals({"fossilGhgEmissions": "1e0", "landUseChangeGhgEmissions": 1, "pcfExcludingBiogenicUptake": "2"})
        == []
    )
    (mismatch,) = check_totals({"fossilGhgEmissions": "x", "pcfExcludingBiogenicUptake": "2"})
    assert mismatch.expected[DEFAULT_RULE.id] == 0


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("1.5", None),
        ("-0", None),
        ("1e3", "uses exponent notation"),
        (" 1", "is not a plain decimal"),
        (1, "is a JSON number"),
        (None, "is not a decimal string"),
    ],
)
def test_decimals_are_judged_the_same_when_read_again(value: Any, problem: str | None) -> None:
    from decimal import Decimal

    from ledger.pact.decimals import decimal_problem, exact_decimal

    for _ in range(2):  # the second read comes from the memo
        found = decimal_problem(value, "Decimal")
        assert (found is None) if problem is None else (problem in str(found))
        assert exact_decimal(value) == (Decimal(value) if problem is None else None)
