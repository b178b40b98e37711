"""CO2 is never taken for CO2e silently; a citation of a dataset version that was never anchored is flagged; the
roll-up takes factors from a dataset (file or stored) and still reads the old factor file."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from rollup_helpers import approx, product, roll

from ledger.declarations.extension import EmissionFactorRef
from ledger.errors import GasBasisError
from ledger.factors import AnchoredDataset, FactorDataset, co2e_warning, factor_reference_problems, parse_csv
from ledger.factors.checks import FACTOR_NOT_IN_DATASET, NOT_ANCHORED, VERSION_MISMATCH
from ledger.graph.factors import emission_factors_from_dataset, load_factor_database

REPO = Path(__file__).resolve().parents[2]
CSV = """# name: grid
# version: 2024.1
id,value,unit,gas_basis,scope,geography,year,source_title,source_publisher,source_date,source_url,licence,product_id
co2-grid,0.5366,kWh,CO2,combustion,CN,2022,Announcement,MEE,2024-12-20,https://example.org/a,public,urn:power
lca-grid,0.6205,kWh,CO2e,life-cycle,CN,2023,Announcement,MEE,2025-01-17,https://example.org/b,public,
steel,1850,t,CO2e,life-cycle,CN,2023,Study,Institute,2024,https://example.org/c,CC-BY,
"""


@pytest.fixture
def dataset() -> FactorDataset:
    return parse_csv(CSV)


def test_a_co2_only_factor_is_refused_where_co2e_is_expected(dataset: FactorDataset) -> None:
    co2 = dataset.factor("co2-grid")
    assert co2 is not None
    with pytest.raises(GasBasisError, match=re.escape("'co2-grid' is 0.5366 kgCO2/kWh, CO2 only, but CO2e is")):
        co2e_warning(co2, accept_co2_only=False, where="test")
    with pytest.raises(GasBasisError, match="--accept-co2-only"):
        emission_factors_from_dataset(dataset)


def test_an_accepted_co2_only_factor_is_used_and_said_so(dataset: FactorDataset) -> None:
    factors, warnings = emission_factors_from_dataset(dataset, accept_co2_only=True)
    assert [f.product_id for f in factors] == ["urn:power"]
    assert len(warnings) == 1 and "'co2-grid' counts CO2 only" in warnings[0] and "CH4, N2O" in warnings[0]


def test_co2e_factors_pass_without_a_warning(dataset: FactorDataset) -> None:
    lca = dataset.factor("lca-grid")
    assert lca is not None and co2e_warning(lca, accept_co2_only=False, where="test") is None
    factors, warnings = emission_factors_from_dataset(dataset, bindings={"urn:power": "lca-grid", "urn:steel": "steel"})
    assert warnings == []  # the binding replaces the CO2-only factor that named urn:power
    by_product = {f.product_id: f for f in factors}
    assert by_product["urn:power"].id == "lca-grid" and len(factors) == 2
    steel = by_product["urn:steel"]
    assert steel.unit == "kilogram" and steel.values == {"fossil": Decimal("1.85")}  # 1850 per t = 1.85 per kg
    assert (steel.source, steel.version, steel.dataset_hash) == ("grid", "2024.1", dataset.hash)


def test_a_roll_up_uses_a_bound_dataset_factor(dataset: FactorDataset) -> None:
    """widget (piece): own 1, uses 10 kWh of grid power at 0.6205 kgCO2e/kWh -> 1 + 6.205 = 7.205."""
    factors, _ = emission_factors_from_dataset(
        parse_csv(CSV.replace("urn:power\n", "\n")), bindings={"urn:power": "lca-grid"}
    )
    found = roll(
        [product("widget", unit="piece", own={"fossil": "1"}, inputs=[("urn:power", "10", "kilowatt hour")])],
        factors,
        target="widget",
    )
    assert found.components["fossil"] == approx(7.205)


def test_a_binding_to_an_unknown_factor_and_a_dataset_without_products_are_refused(dataset: FactorDataset) -> None:
    from ledger.errors import SupplyChainError

    with pytest.raises(SupplyChainError, match="has no factor 'nope' to stand in for 'urn:x'"):
        emission_factors_from_dataset(dataset, bindings={"urn:x": "nope"}, accept_co2_only=True)
    twice = parse_csv(CSV.replace("public,\n", "public,urn:power\n"))
    with pytest.raises(SupplyChainError, match="'co2-grid' and 'lca-grid' both stand in for 'urn:power'"):
        emission_factors_from_dataset(twice, accept_co2_only=True)
    assert emission_factors_from_dataset(twice, bindings={"urn:power": "lca-grid"})[0][0].id == "lca-grid"
    with pytest.raises(SupplyChainError, match="names a productId"):
        emission_factors_from_dataset(parse_csv(CSV.replace("urn:power\n", "\n")))


def test_the_factor_file_path_reads_old_files_and_dataset_files(tmp_path: Path, dataset: FactorDataset) -> None:
    old, old_hash = load_factor_database(REPO / "examples/factors/sample-secondary-factors.json")
    assert [f.id for f in old] == ["ef:iron-ore-fines", "ef:metallurgical-coke"] and old_hash.startswith("0x")
    path = tmp_path / "grid.json"
    path.write_text(json.dumps(dataset.document()), encoding="utf-8")
    with pytest.raises(GasBasisError):
        load_factor_database(path)
    factors, dataset_hash = load_factor_database(path, accept_co2_only=True)
    assert dataset_hash == dataset.hash and factors[0].values == {"fossil": Decimal("0.5366")}


def ref(factor_id: str, source: str, version: str, dataset_hash: str) -> EmissionFactorRef:
    return EmissionFactorRef(id=factor_id, version=version, source=source, dataset_hash=dataset_hash)


def test_citations_of_anchored_datasets_raise_no_flag(dataset: FactorDataset) -> None:
    anchored = [AnchoredDataset("grid", "2024.1", dataset.hash, 12, frozenset({"co2-grid", "lca-grid"}))]
    assert factor_reference_problems([ref("lca-grid", "grid", "2024.1", dataset.hash)], anchored) == []


def test_a_citation_of_a_never_anchored_dataset_version_is_flagged_with_evidence(dataset: FactorDataset) -> None:
    other = "0x" + "12" * 32
    flags = factor_reference_problems([ref("lca-grid", "clcd", "0.9", other)], [])
    assert [f.code for f in flags] == [NOT_ANCHORED]
    assert "never anchored" in flags[0].reason
    assert flags[0].evidence == {"factorId": "lca-grid", "source": "clcd", "version": "0.9", "datasetHash": other}


def test_a_citation_whose_hash_differs_from_the_anchored_version_is_flagged(dataset: FactorDataset) -> None:
    anchored = [AnchoredDataset("grid", "2024.1", dataset.hash, 12)]
    forged = "0x" + "34" * 32
    flags = factor_reference_problems([ref("lca-grid", "grid", "2024.1", forged)], anchored)
    assert [f.code for f in flags] == [NOT_ANCHORED]
    assert flags[0].evidence["anchoredHash"] == dataset.hash and f"has hash {dataset.hash}" in flags[0].reason


def test_a_hash_cited_under_another_version_or_a_factor_not_in_it_is_flagged(dataset: FactorDataset) -> None:
    anchored = [AnchoredDataset("grid", "2024.1", dataset.hash, 12, frozenset({"co2-grid", "lca-grid"}))]
    flags = factor_reference_problems(
        [ref("lca-grid", "grid", "2025.1", dataset.hash), ref("coal", "grid", "2024.1", dataset.hash.upper())],
        anchored,
    )
    assert [f.code for f in flags] == [VERSION_MISMATCH, FACTOR_NOT_IN_DATASET]
    assert flags[0].evidence["anchoredAs"] == "grid@2024.1" and "block 12" in flags[0].reason
