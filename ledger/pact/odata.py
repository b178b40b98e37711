"""The subset of OData v4 ``$filter`` PACT v2 ListFootprints defines (Tech Specs v2, section "Filtering"):

    created ge '2023-01-15T10:15:30Z'           created / updated with eq, ne, gt, ge, lt, le
    productIds/any(p:(p eq 'urn:...'))          productIds / companyIds contain a value
    pcf/geographyCountry eq 'DE'                a pcf or top-level property equals a value
    productCategoryCpc eq '3342' and ...        conditions joined by ``and``

Anything else is refused with a message naming it (the route answers 400).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from typing import Any

from ledger.errors import UnsupportedFilterError
from ledger.pact.filters import parse_instant

Predicate = Callable[[dict[str, Any]], bool]
_COMPARE = {
    "eq": operator.eq,
    "ne": operator.ne,
    "gt": operator.gt,
    "ge": operator.ge,
    "lt": operator.lt,
    "le": operator.le,
}
_ANY = re.compile(r"^(productIds|companyIds)/any\(\s*(\w+)\s*:\s*\(?\s*(\w+)\s+eq\s+'([^']*)'\s*\)?\s*\)$")
_COMPARISON = re.compile(r"^([A-Za-z]+(?:/[A-Za-z]+)?)\s+(eq|ne|gt|ge|lt|le)\s+'([^']*)'$")
_DATES = ("created", "updated")
_PLAIN = (
    "productCategoryCpc",
    "pcf/geographyCountry",
    "pcf/geographyCountrySubdivision",
    "pcf/geographyRegionOrSubregion",
    "pcf/declaredUnit",
    "status",
    "companyName",
)


def _lookup(footprint: dict[str, Any], path: str) -> Any:
    value: Any = footprint
    for part in path.split("/"):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _condition(text: str) -> Predicate:
    expression = text.strip()
    while expression.startswith("(") and expression.endswith(")"):
        expression = expression[1:-1].strip()
    found = _ANY.match(expression)
    if found:
        field, variable, used, wanted = found.groups()
        if variable != used:
            raise UnsupportedFilterError(f"lambda variable {used!r} is not {variable!r} in {text!r}")
        return lambda footprint: wanted in (footprint.get(field) or [])
    found = _COMPARISON.match(expression)
    if not found:
        raise UnsupportedFilterError(
            f"$filter condition {text!r} is not supported; use e.g. created ge '2023-01-01T00:00:00Z', "
            "productIds/any(p:(p eq 'urn:...')) or pcf/geographyCountry eq 'DE', joined with 'and'"
        )
    field, op, literal = found.groups()
    compare = _COMPARE[op]
    if field in _DATES:
        moment = parse_instant(literal, name=field)

        def by_date(footprint: dict[str, Any]) -> bool:
            value = footprint.get(field)
            return isinstance(value, str) and compare(parse_instant(value, name=field), moment)

        return by_date
    if field in _PLAIN and op in ("eq", "ne"):
        return lambda footprint: bool(compare(_lookup(footprint, field), literal))
    raise UnsupportedFilterError(f"$filter on {field!r} with {op!r} is not supported")


def parse_filter(text: str) -> Predicate:
    """A predicate over v2 footprints; UnsupportedFilterError for anything outside the subset."""
    if not text.strip():
        return lambda footprint: True
    conditions = [_condition(part) for part in re.split(r"\s+and\s+", text.strip())]
    return lambda footprint: all(condition(footprint) for condition in conditions)
