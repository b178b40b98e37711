"""The PACT v3 ListFootprints / RequestCreated filters: OR within a criterion, AND across criteria.

Matching follows the spec (parameters section of spec-v3/openapi.yaml) and what conformance testing checks:

- ``productId``, ``companyId``, ``classification``: case-insensitive equality with one of the footprint's values;
- ``geography``: case-insensitive *exact* equality with ``geographyCountry``, ``geographyRegionOrSubregion`` or
  ``geographyCountrySubdivision`` (``D`` does not match ``DE``);
- ``status``: ``Active`` or ``Deprecated`` (case-insensitive); any other value matches nothing;
- validity period: ``validityPeriodStart`` / ``validityPeriodEnd``, or when absent ``referencePeriodEnd`` and three
  calendar years after it; ``validOn``: start <= t <= end, ``validAfter``: start > t, ``validBefore``: end < t.

Unknown values never raise: they simply match nothing, so a client gets 200 and an empty list.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ledger.errors import InvalidFilterError


def parse_instant(text: str, *, name: str) -> datetime:
    """An RFC 3339 date-time; a ``+`` of an unencoded offset that arrived as a space is taken back as ``+``."""
    value = text.strip()
    if " " in value and "T" in value:
        date_part, _, rest = value.partition("T")
        value = date_part + "T" + rest.replace(" ", "+")
    value = value.replace("z", "Z")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidFilterError(
            f"{name} {text!r} is not an RFC 3339 date-time; send e.g. {name}=2025-01-01T00:00:00Z"
        ) from None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _plus_years(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year + years, day=28)


def validity_period(footprint: Mapping[str, Any]) -> tuple[datetime | None, datetime | None]:
    """(start, end) of a v3 footprint's validity period, with PACT's defaults from ``referencePeriodEnd``."""
    pcf = footprint.get("pcf") if isinstance(footprint.get("pcf"), dict) else {}
    reference_end = _instant(pcf.get("referencePeriodEnd")) if pcf else None
    start = _instant(footprint.get("validityPeriodStart")) or reference_end
    end = _instant(footprint.get("validityPeriodEnd"))
    if end is None and reference_end is not None:
        end = _plus_years(reference_end, 3)
    return start, end


def _instant(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return parse_instant(value, name="date")
    except InvalidFilterError:
        return None


def _folded(values: Iterable[Any]) -> set[str]:
    return {str(value).casefold() for value in values if value is not None}


@dataclass(frozen=True)
class FootprintFilter:
    """The criteria of one ListFootprints call or RequestCreated event (empty: everything matches)."""

    product_ids: tuple[str, ...] = ()
    company_ids: tuple[str, ...] = ()
    geographies: tuple[str, ...] = ()
    classifications: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    valid_on: datetime | None = None
    valid_after: datetime | None = None
    valid_before: datetime | None = None

    @classmethod
    def from_mapping(cls, criteria: Mapping[str, Any]) -> FootprintFilter:
        """From query parameters or a RequestCreated ``data`` object (single values or lists)."""

        def many(name: str) -> tuple[str, ...]:
            raw = criteria.get(name)
            if raw is None:
                return ()
            items = raw if isinstance(raw, list | tuple) else [raw]
            return tuple(str(item) for item in items)

        def one(name: str) -> datetime | None:
            raw = criteria.get(name)
            if isinstance(raw, list | tuple):
                raw = raw[-1] if raw else None
            return None if raw in (None, "") else parse_instant(str(raw), name=name)

        return cls(
            product_ids=many("productId"),
            company_ids=many("companyId"),
            geographies=many("geography"),
            classifications=many("classification"),
            statuses=many("status"),
            valid_on=one("validOn"),
            valid_after=one("validAfter"),
            valid_before=one("validBefore"),
        )

    def as_query(self) -> dict[str, list[str]]:
        """The criteria as query parameters (for pagination links and storage)."""
        query: dict[str, list[str]] = {}
        for name, values in (
            ("productId", self.product_ids),
            ("companyId", self.company_ids),
            ("geography", self.geographies),
            ("classification", self.classifications),
            ("status", self.statuses),
        ):
            if values:
                query[name] = list(values)
        for name, moment in (("validOn", self.valid_on), ("validAfter", self.valid_after)):
            if moment is not None:
                query[name] = [moment.isoformat()]
        if self.valid_before is not None:
            query["validBefore"] = [self.valid_before.isoformat()]
        return query

    @property
    def needs_status(self) -> bool:
        """True when matching needs the footprint's current status."""
        return bool(self.statuses)

    def matches(self, footprint: Mapping[str, Any], status: str | None = None) -> bool:
        """Does `footprint` (v3, with its current PACT `status` when known) meet every criterion?"""
        raw_pcf = footprint.get("pcf")
        pcf: Mapping[str, Any] = raw_pcf if isinstance(raw_pcf, dict) else {}
        checks = (
            (self.product_ids, footprint.get("productIds") or []),
            (self.company_ids, footprint.get("companyIds") or []),
            (self.classifications, footprint.get("productClassifications") or []),
            (
                self.geographies,
                [
                    pcf.get("geographyCountry"),
                    pcf.get("geographyRegionOrSubregion"),
                    pcf.get("geographyCountrySubdivision"),
                ],
            ),
            (self.statuses, [status or footprint.get("status")]),
        )
        for wanted, present in checks:
            if wanted and not (_folded(wanted) & _folded(present)):
                return False
        return self._valid(footprint)

    def _valid(self, footprint: Mapping[str, Any]) -> bool:
        if self.valid_on is None and self.valid_after is None and self.valid_before is None:
            return True
        start, end = validity_period(footprint)
        if self.valid_on is not None and not (start and end and start <= self.valid_on <= end):
            return False
        if self.valid_after is not None and not (start and start > self.valid_after):
            return False
        return self.valid_before is None or bool(end and end < self.valid_before)
