"""Golden supply chains, worked by hand in each docstring."""

from __future__ import annotations

import pytest
from rollup_helpers import approx, factor, product, roll

from ledger.errors import DivergentLoopError, SelfConsumptionError, UnitConversionError


def test_three_tier_chain() -> None:
    """ore (0.1 fossil/kg) -> steel (1.2 kg ore/kg, own 0.5) -> car (800 kg steel/piece, own 2000).

    steel = 0.5 + 1.2 * 0.1 = 0.62;  car = 2000 + 800 * 0.62 = 2496.
    """
    found = roll(
        [
            product("ore", own={"fossil": "0.1"}),
            product("steel", own={"fossil": "0.5"}, inputs=[("ore", "1.2", "kilogram")]),
            product("car", unit="piece", own={"fossil": "2000"}, inputs=[("steel", "800", "kilogram")]),
        ],
        target="car",
    )
    assert found.components["fossil"] == approx(2496.0)
    assert found.pcf_excluding_biogenic_uptake == approx(2496.0) and found.complete
    assert found.by_tier == approx({0: 2000.0, 1: 400.0, 2: 96.0})


def test_loop_between_power_and_steel() -> None:
    """power (kWh): own 0.6, uses 0.1 kg steel;  steel (kg): own 1.0, uses 2 kWh power.

    P = 0.6 + 0.1 S, S = 1 + 2 P  =>  0.8 P = 0.7  =>  P = 0.875, S = 2.75.
    """
    chain = [
        product("power", unit="kilowatt hour", own={"fossil": "0.6"}, inputs=[("steel", "0.1", "kilogram")]),
        product("steel", own={"fossil": "1.0"}, inputs=[("power", "2", "kilowatt hour")]),
    ]
    assert roll(chain, target="power").components["fossil"] == approx(0.875)
    assert roll(chain, target="steel").components["fossil"] == approx(2.75)


def test_unit_conversions_energy_and_mass_to_pieces() -> None:
    """machine uses 36 MJ of power (declared per kWh: 10 kWh x 0.5 = 5) and 5 kg of bolts (declared per piece,
    0.05 kg each: 100 pieces x 0.02 = 2); own 1.  Total = 1 + 5 + 2 = 8."""
    found = roll(
        [
            product("power", unit="kilowatt hour", own={"fossil": "0.5"}),
            product("bolt", unit="piece", mass="0.05", own={"fossil": "0.02"}),
            product(
                "machine",
                unit="piece",
                own={"fossil": "1"},
                inputs=[("power", "36", "megajoule"), ("bolt", "5", "kilogram")],
            ),
        ],
        target="machine",
    )
    assert found.components["fossil"] == approx(8.0)


def test_impossible_unit_conversion_names_both_units() -> None:
    with pytest.raises(UnitConversionError, match=r"'liter' to 'kilowatt hour'"):
        roll(
            [
                product("power", unit="kilowatt hour", own={"fossil": "0.5"}),
                product("tank", own={"fossil": "1"}, inputs=[("power", "3", "liter")]),
            ],
            target="tank",
        )


def test_mass_and_economic_allocation() -> None:
    """Mass: the process makes 1 kg main + 0.25 kg co-product, share 1/1.25 = 0.8; own 1.0 and 1 kg of ore
    (0.5 each) give (1.0 + 0.5) * 0.8 = 1.2.  Economic: co-product worth 30 %, share 0.7: (1.0 + 0.5) * 0.7 = 1.05."""
    ore = product("ore", own={"fossil": "0.5"})
    mass = product(
        "main", own={"fossil": "1.0"}, inputs=[("ore", "1", "kilogram")], co=[("slag", "0.25", "kilogram", None)]
    )
    economic = product(
        "main", own={"fossil": "1.0"}, inputs=[("ore", "1", "kilogram")], co=[("slag", "0.25", "kilogram", "0.3")]
    )
    assert roll([ore, mass], target="main").components["fossil"] == approx(1.2)
    assert roll([ore, economic], target="main").components["fossil"] == approx(1.05)


def test_biogenic_uptake_keeps_its_negative_sign() -> None:
    """wood: fossil 0.2, uptake -1.5 per kg; chair: 3 kg wood, own fossil 1.0.
    excluding uptake = 1.0 + 0.6 = 1.6; uptake = -4.5; including = 1.6 - 4.5 = -2.9."""
    found = roll(
        [
            product("wood", own={"fossil": "0.2", "biogenicUptake": "-1.5"}),
            product("chair", unit="piece", own={"fossil": "1.0"}, inputs=[("wood", "3", "kilogram")]),
        ],
        target="chair",
    )
    assert found.components["biogenicUptake"] == approx(-4.5)
    assert found.pcf_excluding_biogenic_uptake == approx(1.6)
    assert found.pcf_including_biogenic_uptake == approx(-2.9)


def test_secondary_factor_fallback_and_quality_aggregates() -> None:
    """steel (primary, DQR 1): own 0.5, 1.2 kg ore from a secondary factor (0.1/kg, DQR 3, no primary data).
    total = 0.62; primary data share = 0.5 / 0.62 = 80.645 %; technological DQR = (0.5*1 + 0.12*3) / 0.62."""
    found = roll(
        [product("steel", own={"fossil": "0.5"}, inputs=[("ore", "1.2", "kilogram")])],
        [factor("ore", "0.1")],
        target="steel",
    )
    assert found.pcf_excluding_biogenic_uptake == approx(0.62)
    assert found.primary_data_share == approx(100 * 0.5 / 0.62)
    assert found.dqr["technologicalDQR"] == approx((0.5 + 0.36) / 0.62)
    assert found.secondary_sources == [{"name": "CLCD", "version": "2024"}]
    assert {i["kind"] for i in found.provenance["inputs"]} == {"declaration", "factor"}


def test_an_input_nothing_covers_is_a_gap_not_zero() -> None:
    found = roll(
        [
            product("steel", own={"fossil": "0.5"}, inputs=[("mystery", "1", "kilogram")]),
            product("car", unit="piece", own={"fossil": "1"}, inputs=[("steel", "2", "kilogram")]),
        ],
        target="car",
    )
    assert not found.complete and [(g.consumer, g.input_product) for g in found.gaps] == [("steel", "mystery")]


def test_a_product_consuming_itself_is_refused_with_its_name() -> None:
    with pytest.raises(SelfConsumptionError, match="'a'"):
        roll([product("a", own={"fossil": "1"}, inputs=[("a", "1.0", "kilogram")])], target="a")


def test_a_loop_that_does_not_converge_names_its_products() -> None:
    """a uses 1.2 b and b uses 1 a: around the loop a re-consumes 1.2 units of itself."""
    with pytest.raises((SelfConsumptionError, DivergentLoopError), match=r"'a'.*'b'|'b'.*'a'"):
        roll(
            [
                product("a", own={"fossil": "1"}, inputs=[("b", "1.2", "kilogram")]),
                product("b", own={"fossil": "1"}, inputs=[("a", "1", "kilogram")]),
            ],
            target="a",
        )


def test_superseded_upstream_marks_downstream_for_reevaluation() -> None:
    old = product("ore", own={"fossil": "0.2"}, status="superseded")
    new = product("ore", own={"fossil": "0.1"})
    steel = product("steel", own={"fossil": "0.5"}, inputs=[("ore", "1", "kilogram")], refs={"ore": old.declaration_id})
    car = product("car", unit="piece", own={"fossil": "1"}, inputs=[("steel", "1", "kilogram")])
    found = roll([old, new, steel, car], target="car")
    assert found.components["fossil"] == approx(1.6)  # the current ore declaration is used
    assert found.needs_reevaluation == ["car", "steel"]
