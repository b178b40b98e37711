"""The shipped dataset loads, every row carries a citable source, and the published figures are as announced."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ledger.factors import GasBasis, Scope, load_shipped_dataset
from ledger.factors.model import CN_GRID_REGIONS

DATASET = load_shipped_dataset()

# figures as the announcements state them (docs/factors.md gives each citation)
GRID_CO2 = {
    "cn-grid-average-2022": "0.5366",
    "cn-grid-average-2023": "0.5306",
    "cn-grid-average-north-2022": "0.6776",
    "cn-grid-average-north-2023": "0.6361",
    "cn-grid-average-southwest-2023": "0.2472",
    "cn-grid-fossil-2023": "0.8273",
}


def test_the_shipped_dataset_loads_with_unique_ids_and_a_stable_hash() -> None:
    assert DATASET.ref == "cn-electricity-and-fuels@2026.1"
    assert len({f.id for f in DATASET.factors}) == len(DATASET.factors) >= 30
    assert load_shipped_dataset().hash == DATASET.hash


@pytest.mark.parametrize("factor", DATASET.factors, ids=lambda f: f.id)
def test_every_shipped_row_has_a_citable_source_and_licence(factor: object) -> None:
    from ledger.factors import Factor

    assert isinstance(factor, Factor)
    source = factor.source
    assert source.title and source.publisher and source.date and factor.licence
    assert source.number or source.url, f"{factor.id} has neither a document number nor a URL"
    assert factor.description


def test_the_grid_factors_are_co2_combustion_factors_per_kwh_for_every_year_and_region() -> None:
    grid = [f for f in DATASET.factors if f.id.startswith("cn-grid-")]
    assert all((f.gas_basis, f.scope, f.unit) == (GasBasis.CO2, Scope.COMBUSTION, "kWh") for f in grid)
    for year in (2022, 2023):
        regions = {f.geography for f in grid if f.year == year and f.geography in CN_GRID_REGIONS}
        assert regions == set(CN_GRID_REGIONS), year
    assert {f.id: str(f.value) for f in grid if f.id in GRID_CO2} == GRID_CO2


def test_the_regional_changes_match_the_percentages_the_mee_stated_for_2023() -> None:
    """MEE on 2023 vs 2022: north -6.1 %, northeast -8.0 %, east -2.1 %, central -2.3 %, northwest -5.4 %,
    south +4.5 %, southwest +9.0 %: the two announcements' values, shipped from different reports, agree."""
    stated = {"north": -6.1, "northeast": -8.0, "east": -2.1, "central": -2.3, "northwest": -5.4}
    stated |= {"south": 4.5, "southwest": 9.0}
    for region, percent in stated.items():
        before, after = (DATASET.factor(f"cn-grid-average-{region}-{year}") for year in (2022, 2023))
        assert before is not None and after is not None
        assert float((after.value / before.value - 1) * 100) == pytest.approx(percent, abs=0.06), region


def test_life_cycle_factors_are_co2e_and_fuel_factors_cite_their_ipcc_table() -> None:
    life_cycle = [f for f in DATASET.factors if f.scope is Scope.LIFE_CYCLE]
    assert life_cycle and all(f.gas_basis is GasBasis.CO2E for f in life_cycle)
    national = DATASET.factor("cn-electricity-footprint-2023")
    assert national is not None and national.value == Decimal("0.6205") and national.source.number == "公告2025年第3号"
    fuels = [f for f in DATASET.factors if f.id.startswith("ipcc2006-")]
    assert len(fuels) >= 10
    assert all(f.unit == "TJ" and f.geography == "GLO" and "Table 1.4" in f.source.table for f in fuels)
