"""Unit conversion (pint) between PACT declared units, with mass <-> piece/volume through a product's mass per
declared unit (``productMassPerDeclaredUnit``)."""

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


@cache
def _registry() -> Any:
    import pint

    return pint.UnitRegistry()


def _quantity(unit: str) -> Any:
    try:
        return _registry()(PINT_NAMES[unit])
    except KeyError:
        raise UnitConversionError(f"unknown unit {unit!r}; use a PACT declared unit: {', '.join(PINT_NAMES)}") from None


def factor(from_unit: str, to_unit: str, *, mass_per_to_unit: Decimal | None = None, context: str = "") -> float:
    """How many `to_unit` one `from_unit` is; via kilograms and `mass_per_to_unit` (kg per `to_unit`) if needed."""
    if from_unit == to_unit:
        return 1.0
    source, target = _quantity(from_unit), _quantity(to_unit)
    if source.dimensionality == target.dimensionality:
        return float((source / target).to("dimensionless").magnitude)
    kilogram = _quantity("kilogram")
    if mass_per_to_unit is not None and mass_per_to_unit > 0 and source.dimensionality == kilogram.dimensionality:
        kilograms = float((source / kilogram).to("dimensionless").magnitude)
        return kilograms / float(mass_per_to_unit)
    hint = (
        " (the upstream declaration gives no productMassPerDeclaredUnit to convert through)"
        if source.dimensionality == kilogram.dimensionality
        else ""
    )
    raise UnitConversionError(
        f"{context}cannot convert {from_unit!r} to {to_unit!r}{hint}; declare the input in "
        f"{to_unit!r} or a unit of the same kind"
    )
