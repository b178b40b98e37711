"""PACT v2 footprints convert to valid PACT v3, exactly, with what v3 cannot hold noted in the comment."""

from __future__ import annotations

import json
from typing import Any

import pytest
from factories import SHARED_PACT

from ledger.canonical import loads_exact
from ledger.errors import DeclarationError
from ledger.pact.v2 import v2_to_v3


def v2_examples() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for name in ("get-footprint-response.json", "list-footprints-response.json"):
        data = loads_exact((SHARED_PACT / "spec-v2" / "examples" / name).read_text())["data"]
        for index, item in enumerate(data if isinstance(data, list) else [data]):
            found.append((f"{name}[{index}]", item))
    return found


@pytest.mark.parametrize(("name", "footprint"), v2_examples(), ids=lambda v: v if isinstance(v, str) else "")
def test_spec_v2_examples_convert_to_valid_v3(name: str, footprint: dict[str, Any]) -> None:
    converted, warnings = v2_to_v3(footprint, mass_per_unit="0.789")
    pcf = converted["pcf"]
    assert converted["specVersion"] == "3.0.0" and converted["id"] == footprint["id"]
    assert pcf["pcfExcludingBiogenicUptake"] == str(footprint["pcf"]["pCfExcludingBiogenic"])
    assert pcf["declaredUnitOfMeasurement"] == footprint["pcf"]["declaredUnit"]
    assert converted["productClassifications"][0].endswith(footprint["productCategoryCpc"])
    assert "Converted from PACT v2" in converted["comment"]
    assert all(w.path.startswith("/pcf/") for w in warnings), name


def test_numbers_are_carried_over_exactly_whether_parsed_as_float_or_decimal() -> None:
    text = (SHARED_PACT / "spec-v2" / "examples" / "get-footprint-response.json").read_text()
    for footprint in (json.loads(text)["data"], loads_exact(text)["data"]):
        converted, _ = v2_to_v3(footprint, mass_per_unit="0.789")
        assert converted["pcf"]["primaryDataShare"] == "12.9"
        assert converted["pcf"]["dqi"] == {"technologicalDQR": "1.6", "temporalDQR": "2.6", "geographicalDQR": "1.8"}
        assert converted["pcf"]["exemptedEmissionsPercent"] == "0"


def test_a_missing_mass_per_unit_for_a_non_mass_unit_names_the_remedy() -> None:
    (_, footprint), *_ = v2_examples()
    with pytest.raises(DeclarationError, match="pass --mass-per-unit"):
        v2_to_v3(footprint)


def test_v3_input_is_refused() -> None:
    with pytest.raises(DeclarationError, match="not PACT v2"):
        v2_to_v3({"specVersion": "3.0.0", "pcf": {}})
