"""Category benchmarks: threshold bands give one grade to every value, or the file is refused naming the rows."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from ledger.errors import (
    CategoryBenchmarkError,
    GappedThresholdsError,
    OverlappingThresholdsError,
    UnknownCategoryError,
    ValueOutsideBenchmarkError,
)
from ledger.labels.benchmarks import benchmark_from_csv, benchmark_from_document, benchmark_from_json
from ledger.labels.catalogue import CATALOGUE, category_of

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "label-benchmarks"
EXAMPLE_JSON = EXAMPLES / "EXAMPLE-NOT-OFFICIAL-steel-bf-bof.json"
EXAMPLE_CSV = EXAMPLES / "EXAMPLE-NOT-OFFICIAL-steel-bf-bof.csv"


def document(*bands: tuple[str, str | None, str], category: str = "cn-pcf-2025-05") -> dict[str, Any]:
    return {
        "category": category,
        "version": "t-1",
        "unit": "kilogram",
        "source": "test thresholds",
        "bands": [{"lower": lower, "upper": upper, "grade": grade} for lower, upper, grade in bands],
    }


def test_the_example_benchmark_grades_each_value_once_and_says_it_is_not_official() -> None:
    benchmark = benchmark_from_json(EXAMPLE_JSON.read_text(encoding="utf-8"))
    assert "NOT AN OFFICIAL" in benchmark.source
    grades = {value: benchmark.band_for(Decimal(value)).grade for value in ("0", "1.79", "1.8", "2.08", "2.2", "99")}
    assert grades == {"0": "A", "1.79": "A", "1.8": "B", "2.08": "B", "2.2": "C", "99": "D"}
    assert benchmark.band_for(Decimal("2.08")).score == Decimal("75")


def test_csv_and_json_forms_of_the_same_bands_agree() -> None:
    from_json = benchmark_from_json(EXAMPLE_JSON.read_text(encoding="utf-8"))
    from_csv = benchmark_from_csv(EXAMPLE_CSV.read_text(encoding="utf-8"))
    assert [b.document() for b in from_csv.bands] == [b.document() for b in from_json.bands]
    assert from_csv.content_hash() != from_json.content_hash()  # version and source differ


def test_bands_given_out_of_order_are_sorted_and_hash_the_same() -> None:
    ordered = benchmark_from_document(document(("0", "1", "A"), ("1", None, "B")))
    shuffled = benchmark_from_document(document(("1", None, "B"), ("0", "1", "A")))
    assert ordered.content_hash() == shuffled.content_hash()


def test_overlapping_thresholds_are_refused_naming_both_rows() -> None:
    with pytest.raises(OverlappingThresholdsError, match=r"rows 1 and 2 overlap.*both hold 1\.5") as excinfo:
        benchmark_from_document(document(("0", "2", "A"), ("1.5", "3", "B")))
    assert excinfo.value.row == 2


def test_an_open_band_followed_by_another_is_an_overlap() -> None:
    with pytest.raises(OverlappingThresholdsError, match="rows 1 and 2 overlap"):
        benchmark_from_document(document(("0", None, "A"), ("5", "6", "B")))


def test_gapped_thresholds_are_refused_naming_both_rows_and_the_gap() -> None:
    with pytest.raises(GappedThresholdsError, match=r"rows 1 and 2 leave a gap: no band holds \[2, 2\.5\)"):
        benchmark_from_document(document(("0", "2", "A"), ("2.5", "3", "B")))


def test_overlapping_csv_rows_are_named_by_line() -> None:
    text = EXAMPLE_CSV.read_text(encoding="utf-8").replace(",1.8,2.2,B,", ",1.7,2.2,B,")
    with pytest.raises(OverlappingThresholdsError, match="rows 2 and 3 overlap"):
        benchmark_from_csv(text)


def test_a_benchmark_of_an_unknown_category_is_refused_naming_it() -> None:
    with pytest.raises(UnknownCategoryError, match="unknown product category 'cn-pcf-2025-99'") as excinfo:
        benchmark_from_document(document(("0", None, "A"), category="cn-pcf-2025-99"))
    assert "cn-pcf-2025-05 (光伏组件)" in str(excinfo.value)


def test_a_statistical_classification_code_is_a_category_of_its_own() -> None:
    assert category_of("3825").group_zh == "统计用产品分类"
    assert benchmark_from_document(document(("0", None, "A"), category="3825")).category == "3825"


def test_the_catalogue_lists_the_seventeen_pilot_categories() -> None:
    assert len(CATALOGUE) == 17
    assert category_of("cn-pcf-2025-12").name_zh == "便携式计算机"
    assert category_of("cn-pcf-2025-16").name_en == "cement"


def test_a_value_outside_every_band_is_refused() -> None:
    benchmark = benchmark_from_document(document(("1", "2", "A")))
    for value in ("0.5", "2"):
        with pytest.raises(ValueOutsideBenchmarkError, match=rf"value {value} kgCO2e/kilogram is outside"):
            benchmark.band_for(Decimal(value))


@pytest.mark.parametrize(
    ("bands", "message"),
    [
        ([{"lower": "x", "upper": "1", "grade": "A"}], "row 1, column lower: 'x' is not a decimal"),
        ([{"lower": "2", "upper": "1", "grade": "A"}], "row 1: upper 1 is not above lower 2"),
        ([{"lower": "0", "upper": "1", "grade": ""}], "row 1, column grade is missing"),
        ([{"lower": "-1", "upper": "1", "grade": "A"}], "must be finite and >= 0"),
        ([{"lower": "0", "upper": "1", "grade": "A" * 17}], "longer than 16 bytes"),
        ([{"lower": "0", "upper": "1", "grade": "A"}, {"lower": "1", "upper": None, "grade": "A"}], "grade"),
        ([], "non-empty list"),
    ],
)
def test_malformed_bands_are_refused_naming_row_and_column(bands: list[Any], message: str) -> None:
    data = document() | {"bands": bands}
    with pytest.raises(CategoryBenchmarkError, match=message):
        benchmark_from_document(data)


def test_a_csv_mixing_two_versions_is_refused_naming_the_row() -> None:
    lines = EXAMPLE_CSV.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace("example-1-csv", "example-2")
    with pytest.raises(CategoryBenchmarkError, match="row 4, column version"):
        benchmark_from_csv("\n".join(lines))


def test_a_csv_without_a_column_is_refused_naming_it() -> None:
    with pytest.raises(CategoryBenchmarkError, match=r"lacks column\(s\) score"):
        benchmark_from_csv("category,version,unit,source,lower,upper,grade\n")


def test_a_json_benchmark_with_a_float_threshold_keeps_it_exact() -> None:
    text = json.dumps(document(("0", "1", "A"))).replace('"upper": "1"', '"upper": 1.10')
    assert benchmark_from_json(text).bands[0].upper == Decimal("1.10")
