"""Factor datasets import from CSV and JSON; malformed files are refused naming the row and the column; a dataset
version's hash ignores order and formatting and changes with any value."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from ledger.errors import FactorFileError
from ledger.factors import GasBasis, Scope, load_dataset, parse_csv, parse_json

HEADER = (
    "id,value,unit,gas_basis,scope,geography,year,source_title,source_publisher,source_date,source_number,licence,"
    "dqr_temporal"
)
GRID = "grid-2022,0.5366,kWh,CO2,combustion,CN,2022,Announcement 2022,MEE; NBS,2024-12-20,2024-33,public,2"
DIESEL = "diesel,74100,TJ,CO2,combustion,GLO,2006,IPCC 2006 Vol. 2,IPCC,2006,Table 1.4,IPCC,"
META = "# name: test-set\n# version: 1\n"


def csv_text(*rows: str, header: str = HEADER, meta: str = META) -> str:
    return meta + "\n".join((header, *rows)) + "\n"


def json_factor(**changes: Any) -> dict[str, Any]:
    factor: dict[str, Any] = {
        "id": "grid-2022",
        "value": "0.5366",
        "unit": "kWh",
        "gasBasis": "CO2",
        "scope": "combustion",
        "geography": "CN",
        "year": 2022,
        "source": {"title": "Announcement 2022", "publisher": "MEE; NBS", "date": "2024-12-20", "number": "2024-33"},
        "licence": "public",
        "dqr": {"temporalDQR": "2"},
    }
    factor.update(changes)
    return factor


def json_text(*factors: dict[str, Any], **top: Any) -> str:
    return json.dumps({"name": "test-set", "version": "1", "factors": list(factors), **top})


def test_a_csv_dataset_reads_every_field_exactly() -> None:
    dataset = parse_csv(csv_text(GRID, DIESEL))
    assert (dataset.name, dataset.version, len(dataset.factors)) == ("test-set", "1", 2)
    grid = dataset.factor("grid-2022")
    assert grid is not None
    assert grid.value == Decimal("0.5366") and grid.unit == "kWh" and grid.unit_label == "kgCO2/kWh"
    assert (grid.gas_basis, grid.scope, grid.geography, grid.year) == (GasBasis.CO2, Scope.COMBUSTION, "CN", 2022)
    assert grid.source.number == "2024-33" and grid.source.publisher == "MEE; NBS"
    assert grid.dqr == {"temporalDQR": Decimal(2)}


def test_csv_and_json_of_the_same_rows_are_the_same_dataset_version() -> None:
    diesel = json_factor(
        id="diesel",
        value="74100",
        unit="TJ",
        geography="GLO",
        year=2006,
        source={"title": "IPCC 2006 Vol. 2", "publisher": "IPCC", "date": "2006", "number": "Table 1.4"},
        licence="IPCC",
        dqr={},
    )
    from_json = parse_json(json_text(json_factor(), diesel))
    from_csv = parse_csv(csv_text(GRID, DIESEL))
    assert from_json.hash == from_csv.hash
    assert from_json.document() == from_csv.document()


def test_order_spelling_and_number_formatting_do_not_change_the_hash() -> None:
    reference = parse_csv(csv_text(GRID, DIESEL))
    grid_reformatted = (
        "grid-2022, 0.53660 ,kwh,co2,Combustion,CN,2022,Announcement 2022,MEE; NBS,2024-12-20,2024-33,public,2.0"
    )
    diesel_reformatted = "diesel,7.41E+4,tj,CO2,combustion,GLO,2006,IPCC 2006 Vol. 2,IPCC,2006,Table 1.4,IPCC,"
    columns = HEADER.split(",")
    reordered_header = ",".join(reversed(columns))

    def reverse(row: str) -> str:
        return ",".join(reversed(row.split(",")))

    shuffled = parse_csv(csv_text(reverse(diesel_reformatted), reverse(grid_reformatted), header=reordered_header))
    assert shuffled.hash == reference.hash
    assert shuffled.hash == parse_csv(csv_text(DIESEL, grid_reformatted)).hash


@pytest.mark.parametrize(
    "changed",
    [
        GRID.replace("0.5366", "0.5367"),
        GRID.replace(",CN,", ",CN-GRID-NORTH,"),
        GRID.replace(",CO2,", ",CO2e,"),
        GRID.replace(",2022,", ",2023,"),
        GRID.replace("2024-33", "2024-34"),
    ],
    ids=["value", "geography", "gas basis", "year", "source number"],
)
def test_any_changed_field_gives_another_hash(changed: str) -> None:
    assert parse_csv(csv_text(changed, DIESEL)).hash != parse_csv(csv_text(GRID, DIESEL)).hash


def test_the_dataset_name_and_version_are_part_of_the_hash() -> None:
    first = parse_csv(csv_text(GRID))
    assert parse_csv(csv_text(GRID, meta="# name: test-set\n# version: 2\n")).hash != first.hash
    assert parse_csv(csv_text(GRID, meta=""), name="test-set", version="1").hash == first.hash


@pytest.mark.parametrize(
    ("row", "column", "problem"),
    [
        (GRID.replace("0.5366", "0,5366"), None, "14 cells but the header has 13 columns"),
        (GRID.replace("0.5366", "about 0.5"), "value", "not a decimal"),
        (GRID.replace("0.5366", "-0.1"), "value", "non-negative"),
        (GRID.replace(",kWh,", ",kWh/yr,"), "unit", "not a known unit"),
        (GRID.replace(",CO2,", ",CH4,"), "gas_basis", "not one of"),
        (GRID.replace(",combustion,", ",cradle,"), "scope", "not one of"),
        (GRID.replace(",CN,", ",China,"), "geography", "ISO 3166"),
        (GRID.replace(",2022,", ",22,"), "year", "not a year"),
        (GRID.replace(",2024-12-20,", ",20.12.2024,"), "source_date", "YYYY-MM-DD"),
        (GRID.replace(",2024-33,", ",,"), "source_number", "number or its URL"),
        (GRID.replace(",MEE; NBS,", ",,"), "source_publisher", "required"),
        (GRID.replace("public,2", "public,7"), "dqr_temporal", "between 1 and 5"),
        (GRID.replace("grid-2022", "grid@2022"), "id", "no '@'"),
    ],
)
def test_a_malformed_csv_row_names_its_row_and_column(row: str, column: str | None, problem: str) -> None:
    with pytest.raises(FactorFileError, match=problem) as caught:
        parse_csv(csv_text(DIESEL, row), file="f.csv")
    assert caught.value.row == 5  # two metadata lines, the header, the diesel row, then this one
    assert caught.value.column == column
    assert "f.csv: row 5" in str(caught.value)
    if column:
        assert f"column {column!r}" in str(caught.value)


def test_a_csv_header_with_an_unknown_or_missing_column_is_refused() -> None:
    with pytest.raises(FactorFileError, match="row 3 \\(header\\), column 'colour'") as caught:
        parse_csv(csv_text(GRID, header=HEADER + ",colour"))
    assert caught.value.column == "colour"
    with pytest.raises(FactorFileError, match="missing column\\(s\\) licence") as missing:
        parse_csv(csv_text("x", header=HEADER.replace(",licence", "")))
    assert missing.value.column == "licence"


def test_a_repeated_factor_id_names_both_rows() -> None:
    with pytest.raises(FactorFileError, match="row 5, column 'id': 'grid-2022' repeats the id of row 4"):
        parse_csv(csv_text(GRID, GRID.replace("0.5366", "0.6")))


def test_a_dataset_without_name_or_version_is_refused() -> None:
    with pytest.raises(FactorFileError, match="needs a name"):
        parse_csv(csv_text(GRID, meta=""))
    with pytest.raises(FactorFileError, match="needs a version"):
        parse_csv(csv_text(GRID, meta="# name: x\n"))


@pytest.mark.parametrize(
    ("factor", "column", "problem"),
    [
        (json_factor(value="abc"), "value", "not a decimal"),
        (json_factor(unit="bushel"), "unit", "not a known unit"),
        (json_factor(gasBasis="GHG"), "gasBasis", "not one of"),
        (json_factor(source={"title": "t", "publisher": "p", "date": "2024"}), "source.number", "number or its URL"),
        (json_factor(source={"title": "t", "publisher": "p", "date": "June", "url": "u"}), "source.date", "date"),
        (json_factor(dqr={"temporalDQR": "0"}), "dqr.temporalDQR", "between 1 and 5"),
        (json_factor(colour="red"), "colour", "unknown key"),
        (json_factor(source="MEE"), "source", "must be an object"),
    ],
)
def test_a_malformed_json_factor_names_its_index_and_field(factor: dict[str, Any], column: str, problem: str) -> None:
    with pytest.raises(FactorFileError, match=problem) as caught:
        parse_json(json_text(json_factor(id="first"), factor), file="f.json")
    assert (caught.value.row, caught.value.column) == (1, column)
    assert f"f.json: factor 1, column {column!r}" in str(caught.value)


def test_a_json_float_is_read_exactly_and_malformed_json_names_the_line() -> None:
    text = json_text(json_factor()).replace('"0.5366"', "0.5366")
    factor = parse_json(text).factors[0]
    assert factor.value == Decimal("0.5366")
    with pytest.raises(FactorFileError, match="line 1 column"):
        parse_json('{"name": "x", ')
    with pytest.raises(FactorFileError, match=r"'factors'.*non-empty list"):
        parse_json(json_text())


def test_files_are_read_by_suffix_or_by_the_format_given(tmp_path: Path) -> None:
    (tmp_path / "set.csv").write_text(csv_text(GRID), encoding="utf-8")
    (tmp_path / "set.txt").write_text(json_text(json_factor()), encoding="utf-8")
    assert load_dataset(tmp_path / "set.csv").hash == load_dataset(tmp_path / "set.txt", file_format="json").hash
    with pytest.raises(FactorFileError, match="--format csv\\|json"):
        load_dataset(tmp_path / "set.txt")
