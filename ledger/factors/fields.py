"""Check and normalize the fields of one factor record (a CSV row or a JSON factor), naming row and column on error.

Both importers hand over a flat record keyed by the CSV column names below; `Where` turns a column into the name
the user's file uses (``source_title`` in CSV, ``source.title`` in JSON) and the row into its line or index.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from ledger.errors import FactorFileError
from ledger.factors.model import (
    CN_GRID_REGIONS,
    DQR_KEYS,
    GLOBAL,
    UNIT_ALIASES,
    UNITS,
    Factor,
    GasBasis,
    Scope,
    Source,
)
from ledger.rollup.components import COMPONENTS

REQUIRED = (
    "id",
    "value",
    "unit",
    "gas_basis",
    "scope",
    "geography",
    "year",
    "source_title",
    "source_publisher",
    "source_date",
    "licence",
)
OPTIONAL = (
    "source_number",
    "source_url",
    "source_table",
    "source_retrieved_from",
    "dqr_technological",
    "dqr_geographical",
    "dqr_temporal",
    "description",
    "product_id",
    "component",
)
COLUMNS = REQUIRED + OPTIONAL
DQR_COLUMNS = dict(zip(("dqr_technological", "dqr_geographical", "dqr_temporal"), DQR_KEYS, strict=True))
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}")  # ids, dataset names, versions: no '@', no spaces
ISO_3166 = re.compile(r"[A-Z]{2}(-[A-Z0-9]{1,3})?")
DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
GAS_ALIASES = {"co2": GasBasis.CO2, "co2e": GasBasis.CO2E, "co2eq": GasBasis.CO2E, "co2-eq": GasBasis.CO2E}
SCOPE_ALIASES = {"combustion": Scope.COMBUSTION, "life-cycle": Scope.LIFE_CYCLE, "lifecycle": Scope.LIFE_CYCLE}


@dataclass(frozen=True)
class Where:
    """Where a record sits in its file: `row` as the user counts it, and how its columns are named there."""

    file: str
    row: int
    row_label: str  # "row 7" (CSV line) or "factor 3" (JSON index)
    column_name: Callable[[str], str]

    def fail(self, column: str, problem: str) -> FactorFileError:
        """The error for `column` of this record."""
        name = self.column_name(column)
        return FactorFileError(f"{self.file}: {self.row_label}, column {name!r}: {problem}", row=self.row, column=name)


def parse_factor(record: Mapping[str, Any], where: Where) -> Factor:
    """Check every field of `record` and return the normalized factor."""
    for column in REQUIRED:
        if _text(record, column, where) == "":
            raise where.fail(column, "is required and empty; every factor needs " + ", ".join(REQUIRED))
    source = Source(
        title=_text(record, "source_title", where),
        publisher=_text(record, "source_publisher", where),
        date=_date(record, where),
        number=_text(record, "source_number", where),
        url=_text(record, "source_url", where),
        table=_text(record, "source_table", where),
        retrieved_from=_text(record, "source_retrieved_from", where),
    )
    if not source.number and not source.url:
        raise where.fail("source_number", "a source needs its document number or its URL (or both)")
    component = _text(record, "component", where) or "fossil"
    if component not in COMPONENTS:
        raise where.fail("component", f"{component!r} is not a PACT emission component; use one of {COMPONENTS}")
    return Factor(
        id=name_text(_text(record, "id", where), where, "id"),
        value=_value(record, where),
        unit=_unit(record, where),
        gas_basis=_choice(record, "gas_basis", GAS_ALIASES, where),
        scope=_choice(record, "scope", SCOPE_ALIASES, where),
        geography=_geography(record, where),
        year=_year(record, where),
        source=source,
        licence=_text(record, "licence", where),
        dqr=_dqr(record, where),
        description=_text(record, "description", where),
        product_id=_text(record, "product_id", where),
        component=component,
    )


def name_text(text: str, where: Where, column: str) -> str:
    """An id, dataset name or version: letters, digits and ``._:/-``, no ``@`` and no spaces, at most 128."""
    if not NAME_PATTERN.fullmatch(text):
        raise where.fail(column, f"{text!r} must be letters, digits and . _ : / - (no '@', no spaces, at most 128)")
    return text


def _text(record: Mapping[str, Any], column: str, where: Where) -> str:
    value = record.get(column)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise where.fail(column, f"{value!r} is not text")
    return str(value).strip()


def _value(record: Mapping[str, Any], where: Where) -> Decimal:
    raw = record.get("value")
    if isinstance(raw, float):
        raise where.fail("value", f'{raw!r} is a binary float; write the exact decimal as text, e.g. "0.5366"')
    text = _text(record, "value", where)
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise where.fail("value", f"{text!r} is not a decimal number (write e.g. 0.5366)") from None
    if not value.is_finite() or value < 0:
        raise where.fail("value", f"{text!r} must be a finite, non-negative decimal")
    return value


def _unit(record: Mapping[str, Any], where: Where) -> str:
    text = _text(record, "unit", where)
    unit = text if text in UNITS else UNIT_ALIASES.get(text.lower())
    if unit is None:
        raise where.fail("unit", f"{text!r} is not a known unit; use one of {', '.join(UNITS)}")
    return unit


def _choice(record: Mapping[str, Any], column: str, aliases: Mapping[str, Any], where: Where) -> Any:
    text = _text(record, column, where)
    found = aliases.get(text.lower().replace(" ", "-"))
    if found is None:
        choices = sorted({str(v) for v in aliases.values()})
        raise where.fail(column, f"{text!r} is not one of {', '.join(choices)}")
    return found


def _geography(record: Mapping[str, Any], where: Where) -> str:
    text = _text(record, "geography", where)
    if text == GLOBAL or text in CN_GRID_REGIONS or ISO_3166.fullmatch(text):
        return text
    raise where.fail(
        "geography",
        f"{text!r} is not an ISO 3166 code (CN, CN-GD), {GLOBAL} or a China grid region ({', '.join(CN_GRID_REGIONS)})",
    )


def _year(record: Mapping[str, Any], where: Where) -> int:
    text = _text(record, "year", where)
    if not text.isdigit() or not 1900 <= int(text) <= 2100:
        raise where.fail("year", f"{text!r} is not a year between 1900 and 2100")
    return int(text)


def _date(record: Mapping[str, Any], where: Where) -> str:
    text = _text(record, "source_date", where)
    if not DATE.fullmatch(text):
        raise where.fail("source_date", f"{text!r} is not a date YYYY-MM-DD (or YYYY-MM, YYYY)")
    return text


def _dqr(record: Mapping[str, Any], where: Where) -> dict[str, Decimal]:
    ratings = {}
    for column, key in DQR_COLUMNS.items():
        text = _text(record, column, where)
        if not text:
            continue
        try:
            rating = Decimal(text)
        except InvalidOperation:
            rating = Decimal("NaN")
        if not rating.is_finite() or not 1 <= rating <= 5:
            raise where.fail(column, f"{text!r} is not a PACT data quality rating between 1 and 5")
        ratings[key] = rating
    return ratings
