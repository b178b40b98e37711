"""CBAM specific embedded emissions on hand-computed multi-level precursor chains (tCO2e per tonne of good)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from rollup_helpers import product

from ledger.cbam.embedded import RULE_ANNEX_II, RULE_NOT_CBAM, RULE_UNION, cbam_export
from ledger.cbam.goods import classify
from ledger.declarations.extension import CbamData
from ledger.errors import SupplyChainError
from ledger.graph.model import DeclaredProduct


def good(pid: str, cn: str, origin: str, direct: str, indirect: str, **kwargs: object) -> DeclaredProduct:
    return replace(
        product(pid, **kwargs),  # type: ignore[arg-type]
        cbam=CbamData(cn_code=cn, origin=origin, direct=Decimal(direct), indirect=Decimal(indirect)),
    )


STEEL = [
    # pig iron, declared per 1000 kg: 1800 / 1000 = 1.8 direct, 100 / 1000 = 0.1 indirect
    good("pig-iron", "72011011", "CN", "1800", "100", amount="1000", mass="1000"),
    # scrap (7204) is not in Annex I: not a relevant precursor even with CBAM data
    good("scrap", "72044910", "CN", "0", "0"),
    # slab per kg: own 0.2 / 0.15; 1.1 kg pig iron (losses included) and 0.1 kg scrap
    good(
        "slab",
        "72071114",
        "CN",
        "0.2",
        "0.15",
        inputs=[("pig-iron", "1.1", "kilogram"), ("scrap", "0.1", "kilogram")],
    ),
    good("eu-slab", "72071114", "DE", "0.3", "0.1"),
    product("zinc", own={"fossil": "3"}),  # no CBAM data (zinc is not a CBAM good)
    # hot-rolled coil per piece of 20 000 kg: own 400 / 1000 kgCO2e per coil; 21 000 kg CN slab, 1000 kg DE slab,
    # 200 kg zinc
    good(
        "coil",
        "72083900",
        "CN",
        "400",
        "1000",
        unit="piece",
        mass="20000",
        inputs=[("slab", "21000", "kilogram"), ("eu-slab", "1000", "kilogram"), ("zinc", "200", "kilogram")],
    ),
]


def test_steel_chain_direct_only_union_precursor_zero_and_non_cbam_inputs_left_out() -> None:
    """pig iron: 1.8.  slab: 0.2 + 1.1 x 1.8 = 2.18 (scrap not counted).  coil: 400 / 20000 = 0.02 own,
    M(slab) = 21000 / 20000 = 1.05 t/t, M(eu-slab) = 0.05 t/t counted as zero: 0.02 + 1.05 x 2.18 = 2.309.
    Iron and steel are Annex II goods: indirect not taken into account."""
    found = cbam_export(STEEL, "coil")
    by_id = {g.product_id: g for g in found.goods}
    assert [g.product_id for g in found.goods] == ["coil", "pig-iron", "slab"]
    assert by_id["pig-iron"].see_direct == pytest.approx(1.8)
    assert by_id["slab"].see_direct == pytest.approx(2.18)
    coil = found.good
    assert coil.attributed_direct == pytest.approx(0.02) and coil.attributed_indirect == pytest.approx(0.05)
    assert coil.see_direct == pytest.approx(2.309) and coil.see_indirect is None
    assert RULE_ANNEX_II in coil.rules and coil.direct_only
    lines = {p.product_id: p for p in coil.precursors}
    assert lines["slab"].tonnes_per_tonne == pytest.approx(1.05) and lines["slab"].counted
    assert lines["eu-slab"].tonnes_per_tonne == pytest.approx(0.05) and lines["eu-slab"].rule == RULE_UNION
    assert not lines["zinc"].counted and lines["zinc"].rule == RULE_NOT_CBAM
    assert {p.product_id: p.counted for p in by_id["slab"].precursors} == {"pig-iron": True, "scrap": False}


FERTILISER = [
    good("hydrogen", "28041000", "CN", "10", "2"),
    # ammonia per kg: own 0.5 / 0.1, 0.18 kg hydrogen
    good("ammonia", "28141000", "CN", "0.5", "0.1", inputs=[("hydrogen", "0.18", "kilogram")]),
    # urea per 1000 kg: own 300 / 50 kgCO2e, 570 kg ammonia
    good("urea", "31021010", "CN", "300", "50", amount="1000", mass="1000", inputs=[("ammonia", "570", "kilogram")]),
]


def test_fertiliser_chain_counts_indirect_through_three_levels() -> None:
    """hydrogen 10 / 2 (indirect not reported for hydrogen itself, Annex II).  ammonia: direct 0.5 + 0.18 x 10
    = 2.3; indirect 0.1 + 0.18 x 2 = 0.46.  urea (M = 570 / 1000 = 0.57 t/t): direct 0.3 + 0.57 x 2.3 = 1.611;
    indirect 0.05 + 0.57 x 0.46 = 0.3122."""
    found = cbam_export(FERTILISER, "urea")
    by_id = {g.product_id: g for g in found.goods}
    assert by_id["hydrogen"].see_direct == pytest.approx(10.0) and by_id["hydrogen"].see_indirect is None
    assert by_id["ammonia"].see_direct == pytest.approx(2.3)
    assert by_id["ammonia"].see_indirect == pytest.approx(0.46)
    assert found.good.see_direct == pytest.approx(1.611)
    assert found.good.see_indirect == pytest.approx(0.3122)
    assert found.good.precursors[0].tonnes_per_tonne == pytest.approx(0.57)


@pytest.mark.parametrize(
    ("chain", "target", "message"),
    [
        (STEEL, "zinc", "'zinc' carries no CBAM data; add a cbam object"),
        (STEEL, "eu-slab", r"'eu-slab' is of Union origin \(DE\)"),
        (STEEL, "scrap", "CN code 72044910, which is not a CBAM good"),
        (STEEL, "nothing", "no current declaration of product 'nothing'"),
    ],
)
def test_goods_cbam_does_not_cover_are_refused_with_the_reason(
    chain: list[DeclaredProduct], target: str, message: str
) -> None:
    with pytest.raises(SupplyChainError, match=message):
        cbam_export(chain, target)


def test_a_good_without_mass_cannot_be_expressed_per_tonne() -> None:
    chain = [good("rod", "72142000", "CN", "5", "1", unit="piece")]
    with pytest.raises(SupplyChainError, match="'rod' is declared per 1 piece without productMassPerDeclaredUnit"):
        cbam_export(chain, "rod")


@pytest.mark.parametrize(
    ("cn", "sector", "direct_only"),
    [
        ("72083900", "iron and steel", True),
        ("73181500", "iron and steel", True),
        ("76011000", "aluminium", True),
        ("28041000", "hydrogen", True),
        ("25232900", "cement", False),
        ("31021010", "fertilisers", False),
        ("72044910", None, False),
        ("79011200", None, False),
    ],
)
def test_cn_codes_are_classified_by_annex_i_and_annex_ii(cn: str, sector: str | None, direct_only: bool) -> None:
    assert (classify(cn).sector, classify(cn).direct_only) == (sector, direct_only)
