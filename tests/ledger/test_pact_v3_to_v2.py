"""v3 -> v2 (serving v3 declarations to v2 recipients): valid against the v2.3 OpenAPI schema, values per one
declared unit, and a round trip through v2_to_v3 that gives the original numbers back."""

from __future__ import annotations

import copy
from decimal import Decimal
from functools import cache
from typing import Any

import jsonschema
import pytest
import yaml
from factories import SHARED_PACT, make_payload

from ledger.errors import DeclarationError
from ledger.pact.v2 import v2_to_v3, v3_to_v2


@cache
def v2_validator() -> jsonschema.Draft202012Validator:
    spec = yaml.safe_load((SHARED_PACT / "spec-v2" / "openapi.yaml").read_text(encoding="utf-8"))
    root = {"$ref": "#/components/schemas/ProductFootprint", "components": spec["components"]}
    return jsonschema.Draft202012Validator(root, format_checker=jsonschema.FormatChecker())


def v3_footprint(**pcf: Any) -> dict[str, Any]:
    payload = make_payload("0x" + "11" * 20)
    payload["pcf"].update(pcf)
    return payload


def test_a_v3_footprint_becomes_a_valid_v2_footprint() -> None:
    v2 = v3_to_v2(v3_footprint())
    problems = [error.message for error in v2_validator().iter_errors(v2)]
    assert problems == []
    assert v2["specVersion"] == "2.3.0" and v2["version"] == 1
    assert v2["productCategoryCpc"] == "41231"  # from the un-cpc classification
    assert v2["pcf"]["crossSectoralStandardsUsed"] == ["GHG Protocol Product standard", "ISO Standard 14067"]


def test_values_are_given_per_one_declared_unit() -> None:
    v2 = v3_to_v2(v3_footprint(declaredUnitAmount="12", pcfExcludingBiogenicUptake="18", fossilGhgEmissions="18"))
    assert v2["pcf"]["unitaryProductAmount"] == "12"
    assert Decimal(v2["pcf"]["pCfExcludingBiogenic"]) == Decimal("1.5")
    assert Decimal(v2["pcf"]["fossilGhgEmissions"]) == Decimal("1.5")


def test_v3_to_v2_and_back_keeps_the_numbers() -> None:
    original = v3_footprint(declaredUnitAmount="4", pcfExcludingBiogenicUptake="8.4", pcfIncludingBiogenicUptake="8.4")
    back, _ = v2_to_v3(v3_to_v2(copy.deepcopy(original)))
    for key in ("pcfExcludingBiogenicUptake", "fossilCarbonContent", "productMassPerDeclaredUnit"):
        assert Decimal(back["pcf"][key]) == Decimal(original["pcf"][key]), key


def test_a_unit_v2_cannot_express_is_refused_by_name() -> None:
    with pytest.raises(DeclarationError, match="'piece' has no PACT v2 equivalent"):
        v3_to_v2(v3_footprint(declaredUnitOfMeasurement="piece"))
