"""PACT v2 footprints convert to valid PACT v3, exactly, with what v3 cannot hold noted in the comment."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
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
    amount = Decimal(str(footprint["pcf"]["unitaryProductAmount"]))
    assert Decimal(pcf["pcfExcludingBiogenicUptake"]) == Decimal(str(footprint["pcf"]["pCfExcludingBiogenic"])) * amount
    assert Decimal(pcf["productMassPerDeclaredUnit"]) == Decimal("0.789") * amount
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


def adr_0036(unit: str, amount: str, pcf: str, mass: str) -> dict[str, Any]:
    """The spec v2 example footprint re-stated as one of decision record 0036's v2 columns."""
    (_, footprint), *_ = v2_examples()
    footprint = copy.deepcopy(footprint)
    footprint["pcf"].update(
        declaredUnit=unit, unitaryProductAmount=amount, pCfExcludingBiogenic=pcf, productMassPerDeclaredUnit=mass
    )
    return footprint


@pytest.mark.parametrize(
    ("v2", "declared_amount", "pcf", "mass"),
    [
        # 12 l bottle of bio-ethanol: 1.5 kgCO2e per liter x 12 = 18 per declared unit; 0.789 kg/l x 12 = 9.468 kg
        (adr_0036("liter", "12", "1.5", "0.789"), "12", "18", "9.468"),
        # 2000 kg car: 300 kgCO2e per kg x 2000 = 600000 per declared unit; 1 kg/kg x 2000 = 2000 kg
        (adr_0036("kilogram", "2000", "300", "1"), "2000", "600000", "2000"),
    ],
    ids=["ethanol-12-liter", "car-2000-kg"],
)
def test_decision_record_0036_worked_examples(v2: dict[str, Any], declared_amount: str, pcf: str, mass: str) -> None:
    converted, _ = v2_to_v3(v2)
    assert converted["pcf"]["declaredUnitAmount"] == declared_amount
    assert converted["pcf"]["pcfExcludingBiogenicUptake"] == pcf
    assert converted["pcf"]["productMassPerDeclaredUnit"] == mass


def test_every_emission_field_is_multiplied_by_the_unitary_product_amount() -> None:
    """The spec example at unitaryProductAmount 12: fossil 1.5 -> 18, dLUC 0.8 -> 9.6, other biogenic 0.4 -> 4.8,
    withdrawal -1.5 -> -18, aircraft 0.2 -> 2.4, biogenic carbon 0.41 -> 4.92, including 1.85 -> 22.2, land
    management 0.6 -> 7.2 (noted in the comment); percentages are not scaled."""
    footprint = adr_0036("liter", "12", "1.63", "0.789")
    converted, _ = v2_to_v3(footprint)
    pcf = converted["pcf"]
    assert {
        key: pcf[key]
        for key in (
            "fossilGhgEmissions",
            "landUseChangeGhgEmissions",
            "biogenicNonCO2Emissions",
            "biogenicCO2Uptake",
            "aircraftGhgEmissions",
            "biogenicCarbonContent",
            "fossilCarbonContent",
            "pcfIncludingBiogenicUptake",
            "pcfExcludingBiogenicUptake",
            "primaryDataShare",
        )
    } == {
        "fossilGhgEmissions": "18",
        "landUseChangeGhgEmissions": "9.6",
        "biogenicNonCO2Emissions": "4.8",
        "biogenicCO2Uptake": "-18",
        "aircraftGhgEmissions": "2.4",
        "biogenicCarbonContent": "4.92",
        "fossilCarbonContent": "0",
        "pcfIncludingBiogenicUptake": "22.2",
        "pcfExcludingBiogenicUptake": "19.56",
        "primaryDataShare": "12.9",
    }
    assert "landManagementGhgEmissions: 7.2 kgCO2e per declared unit" in converted["comment"]


def test_a_non_positive_unitary_product_amount_is_refused() -> None:
    with pytest.raises(DeclarationError, match="unitaryProductAmount '0' is not a number greater than 0"):
        v2_to_v3(adr_0036("liter", "0", "1.5", "0.789"))
