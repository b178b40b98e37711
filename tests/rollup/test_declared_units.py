"""A bill-of-materials quantity becomes a number of the upstream product's declared units exactly once, whatever
the units and the declaredUnitAmount (PACT v3: a declared unit is declaredUnitAmount x declaredUnitOfMeasurement)."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rollup_helpers import approx, product, roll

from ledger.errors import UnitConversionError

# The independent reference: each PACT unit as (kind, size in the kind's base unit), written out by hand.
BY_HAND = {
    "kilogram": ("mass", 1.0),
    "liter": ("volume", 0.001),  # m3
    "cubic meter": ("volume", 1.0),
    "kilowatt hour": ("energy", 3.6),  # MJ
    "megajoule": ("energy", 1.0),
    "piece": ("count", 1.0),
    "square meter": ("area", 1.0),
    "ton kilometer": ("transport", 1.0),
    "hour": ("time", 1.0),
    "megabit second": ("data", 1.0),
}


def declared_units_by_hand(quantity: float, unit: str, declared_unit: str, amount: float, mass: float) -> float | None:
    """Through kilograms and declared units: same kind -> base units / (amount x size of the declared unit);
    kilograms of a product declared in another kind -> kilograms / mass per declared unit; else no conversion."""
    kind, size = BY_HAND[unit]
    declared_kind, declared_size = BY_HAND[declared_unit]
    if kind == declared_kind:
        return quantity * size / (amount * declared_size)
    if kind == "mass":
        return quantity / mass
    return None


def test_kilograms_of_a_product_declared_per_12_liter_count_whole_declared_units() -> None:
    """ethanol: declared per 12 liter, 9.468 kg per declared unit, 18 kgCO2e per declared unit (PACT ADR 0036).
    A blend uses 9.468 kg of it = 1 declared unit = 18 kgCO2e (the bug gave 18 / 12 = 1.5).
    Another uses 6 liter = 0.5 declared unit = 9 kgCO2e."""
    ethanol = product("ethanol", unit="liter", amount="12", mass="9.468", own={"fossil": "18"})
    by_mass = product("blend", own={}, inputs=[("ethanol", "9.468", "kilogram")])
    by_volume = product("mix", own={}, inputs=[("ethanol", "6", "liter")])
    assert roll([ethanol, by_mass], target="blend").components["fossil"] == approx(18.0)
    assert roll([ethanol, by_volume], target="mix").components["fossil"] == approx(9.0)


def test_a_2000_kg_car_declared_per_2000_kilogram() -> None:
    """car: declared per 2000 kg, 600000 kgCO2e per declared unit; a fleet of 3 cars uses 6000 kg = 3 declared
    units = 1 800 000 kgCO2e."""
    car = product("car", amount="2000", mass="2000", own={"fossil": "600000"})
    fleet = product("fleet", unit="piece", own={}, inputs=[("car", "6000", "kilogram")])
    assert roll([car, fleet], target="fleet").components["fossil"] == approx(1_800_000.0)


amounts = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("5000"), places=3).filter(lambda d: d != 1)


@pytest.mark.parametrize(("unit", "declared_unit"), list(itertools.product(BY_HAND, BY_HAND)))
@settings(max_examples=8, deadline=None)
@given(quantity=amounts, amount=amounts, mass=amounts)
def test_every_pair_of_units_agrees_with_the_hand_reference(
    unit: str, declared_unit: str, quantity: Decimal, amount: Decimal, mass: Decimal
) -> None:
    upstream = product("up", unit=declared_unit, amount=str(amount), mass=str(mass), own={"fossil": "1"})
    consumer = product("down", own={}, inputs=[("up", str(quantity), unit)])
    expected = declared_units_by_hand(float(quantity), unit, declared_unit, float(amount), float(mass))
    if expected is None:
        with pytest.raises(UnitConversionError, match=f"'{unit}' to '{declared_unit}'"):
            roll([upstream, consumer], target="down")
    else:
        assert roll([upstream, consumer], target="down").components["fossil"] == pytest.approx(expected, rel=1e-9)
