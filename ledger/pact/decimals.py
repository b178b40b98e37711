"""PACT decimals: JSON strings, exact (Decimal, never float), with the sign rule of each decimal type.

A declaration's decimals are read by the schema check, the PACT rules, the totals check and the extension parser;
each distinct string is checked and parsed once (:func:`exact_decimal`, memoised: a Decimal is immutable).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from functools import lru_cache

DECIMAL_RE = re.compile(r"[+-]?\d+(\.\d+)?")
EXPONENT_RE = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+")

# decimal type name in the PACT schema -> (predicate on the value, words for the message)
SIGN_RULES: dict[str, tuple[Callable[[Decimal], bool], str]] = {
    "Decimal": (lambda v: True, "any decimal"),
    "PositiveNonZeroDecimal": (lambda v: v > 0, "greater than 0"),
    "PositiveOrZeroDecimal": (lambda v: v >= 0, "0 or greater"),
    "NegativeOrZeroDecimal": (lambda v: v <= 0, "0 or less"),
    "NegativeNonZeroDecimal": (lambda v: v < 0, "less than 0"),
}


@lru_cache(maxsize=16_384)
def _syntax(value: str) -> Decimal | str:
    """The exact Decimal of a plain decimal string, or why it is not one."""
    if EXPONENT_RE.fullmatch(value):
        return f'{value!r} uses exponent notation; write it out in plain digits, e.g. "{Decimal(value):f}"'
    if not DECIMAL_RE.fullmatch(value):
        return f'{value!r} is not a plain decimal (digits, optional sign and fraction, e.g. "12.5")'
    return Decimal(value)


def exact_decimal(value: object) -> Decimal | None:
    """The Decimal of a plain decimal string (no exponent, no float), or None for anything else."""
    if type(value) is not str:
        return None
    parsed = _syntax(value)
    return parsed if isinstance(parsed, Decimal) else None


def decimal_problem(value: object, kind: str) -> str | None:
    """Return why `value` is not a valid PACT decimal of type `kind`, or None when it is."""
    if isinstance(value, bool) or not isinstance(value, str):
        if isinstance(value, int | float):
            return f'{value!r} is a JSON number; PACT decimals are strings: write "{value}"'
        return f"{value!r} is not a decimal string"
    parsed = _syntax(str(value))
    if isinstance(parsed, str):
        return parsed
    rule, words = SIGN_RULES[kind]
    if not rule(parsed):
        return f"{value!r} must be {words}"
    return None


def parse_decimal(value: str) -> Decimal:
    """Return the exact Decimal of a validated decimal string."""
    parsed = exact_decimal(value)
    return Decimal(value) if parsed is None else parsed


def finite_decimal(value: object) -> Decimal | None:
    """A finite Decimal of any number-like value (a decimal string, an int, a Decimal), else None: the lenient reading
    of stored payload fields that anomaly checks and claim checks compare (strict PACT parsing is `exact_decimal`)."""
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None
