"""Unit conversion (pint) between PACT declared units.

A PACT v3 *declared unit* is ``declaredUnitAmount`` x ``declaredUnitOfMeasurement`` (e.g. 12 liter), and
``productMassPerDeclaredUnit`` is the mass of that whole declared unit (e.g. 9.468 kg per 12 liter). A bill-of-
materials quantity is turned into a number of those declared units either through a unit of the same kind
(36 MJ of a product declared per 10 kWh = 1 declared unit) or, for a quantity in a mass unit of a product
declared in another kind of unit, through its mass per declared unit (9.468 kg of the 12-liter product = 1
declared unit). Each path divides by the declared unit exactly once.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any

from ledger.errors import UnitConversionError

PINT_NAMES = {
    "liter": "liter",
    "kilogram": "kilogram",
    "cubic meter": "meter**3",
    "kilowatt hour": "kilowatt_hour",
    "megajoule": "megajoule",
    "ton kilometer": "metric_ton * kilometer",
    "square meter": "meter**2",
    "piece": "count",
    "hour": "hour",
    "megabit second": "megabit * second",
}

# The kind of quantity each unit measures, stated here rather than taken from pint: pint counts bits as
# dimensionless, so it would convert "megabit second" into hours.
KINDS = {
    "liter": "volume",
    "kilogram": "mass",
    "cubic meter": "volume",
    "kilowatt hour": "energy",
    "megajoule": "energy",
    "ton kilometer": "transport work",
    "square meter": "area",
    "piece": "count",
    "hour": "time",
    "megabit second": "data transfer",
}


@cache
def _registry() -> Any:
    import pint

    return pint.UnitRegistry()


def _quantity(unit: str) -> Any:
    try:
        return _registry()(PINT_NAMES[unit])
    except KeyError:
        raise UnitConversionError(f"unknown unit {unit!r}; use a PACT declared unit: {', '.join(PINT_NAMES)}") from None


def same_kind(first: str, second: str) -> bool:
    """True when both units measure the same kind of quantity (mass, volume, energy, ...)."""
    _quantity(first), _quantity(second)  # refuses unknown units with the list of known ones
    return KINDS[first] == KINDS[second]


def factor(from_unit: str, to_unit: str, *, context: str = "") -> float:
    """How many `to_unit` one `from_unit` is, for two units of the same kind."""
    if from_unit == to_unit:
        return 1.0
    source, target = _quantity(from_unit), _quantity(to_unit)
    if not same_kind(from_unit, to_unit):
        raise UnitConversionError(
            f"{context}cannot convert {from_unit!r} to {to_unit!r}: they measure different kinds of quantity; "
            f"declare the quantity in {to_unit!r} or a unit of the same kind"
        )
    return float((source / target).to("dimensionless").magnitude)


def declared_units(
    quantity: float,
    unit: str,
    *,
    declared_unit: str,
    declared_amount: Decimal,
    mass_per_declared_unit: Decimal | None,
    context: str = "",
) -> float:
    """How many declared units (`declared_amount` x `declared_unit`) `quantity` `unit` is (module docstring)."""
    if same_kind(unit, declared_unit):
        return quantity * factor(unit, declared_unit) / float(declared_amount)
    if same_kind(unit, "kilogram"):
        if mass_per_declared_unit is None or mass_per_declared_unit <= 0:
            raise UnitConversionError(
                f"{context}cannot convert {unit!r} to {declared_unit!r}: the upstream declaration gives no "
                f"productMassPerDeclaredUnit to convert through; declare the input in {declared_unit!r} or a "
                "unit of the same kind"
            )
        return quantity * factor(unit, "kilogram") / float(mass_per_declared_unit)
    raise UnitConversionError(
        f"{context}cannot convert {unit!r} to {declared_unit!r}; declare the input in {declared_unit!r} or a "
        "unit of the same kind"
    )
