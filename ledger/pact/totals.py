"""PCF totals as named, versioned rules: which PACT v3 emission fields add up to ``pcfExcludingBiogenicUptake``.

PACT v3.0.3 gives three readings of that total, which disagree:

``pact-v3-description`` (the default)
    the field's description: all fossil emissions, all land-sector emissions, all biogenic emissions (biogenic
    CH4 included), land-management removals and technological removals; product CO2 uptake excluded.
``pact-v3-x-comment``
    the field's ``x-comment`` formula, which lists land-use change, land-management biogenic CO2, both removals,
    CCS capture and biogenic non-CO2, but not ``landManagementFossilGhgEmissions``.
``pact-v3-examples``
    the published examples (spec/v3/examples 1, 2 and 4), whose totals leave out ``biogenicNonCO2Emissions``.

``pcfIncludingBiogenicUptake`` is always the excluding total plus ``biogenicCO2Uptake``. A stated total
*matches* a reading when it equals the sum of the stated components to the precision it is written with
(within half a unit of its last decimal place), e.g. "-1.23" matches -1.226.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from ledger.errors import InvalidInputError
from ledger.pact.decimals import exact_decimal

UPTAKE_FIELD = "biogenicCO2Uptake"


@dataclass(frozen=True)
class TotalsRule:
    """One reading of the PACT totals: the emission fields summed into pcfExcludingBiogenicUptake."""

    name: str
    version: int
    source: str
    excluding: tuple[str, ...]

    @property
    def id(self) -> str:
        """Name and version, as recorded in roll-up provenance: ``pact-v3-description/1``."""
        return f"{self.name}/{self.version}"

    @property
    def including(self) -> tuple[str, ...]:
        """Fields summed into pcfIncludingBiogenicUptake."""
        return (*self.excluding, UPTAKE_FIELD)


_FOSSIL = "fossilGhgEmissions"
_LUC = "landUseChangeGhgEmissions"
_LM_FOSSIL = "landManagementFossilGhgEmissions"
_LM_BIO = "landManagementBiogenicCO2Emissions"
_BIO_NON_CO2 = "biogenicNonCO2Emissions"
_LM_REMOVALS = "landManagementBiogenicCO2Removals"
_TECH_REMOVALS = "technologicalCO2Removals"
_CCS = "ccsTechnologicalCO2Capture"

RULES: dict[str, TotalsRule] = {
    rule.name: rule
    for rule in (
        TotalsRule(
            "pact-v3-description",
            1,
            "PACT v3.0.3 pcfExcludingBiogenicUptake description",
            (_FOSSIL, _LUC, _LM_FOSSIL, _LM_BIO, _BIO_NON_CO2, _LM_REMOVALS, _TECH_REMOVALS),
        ),
        TotalsRule(
            "pact-v3-x-comment",
            1,
            "PACT v3.0.3 pcfExcludingBiogenicUptake x-comment formula",
            (_FOSSIL, _LUC, _LM_BIO, _LM_REMOVALS, _TECH_REMOVALS, _CCS, _BIO_NON_CO2),
        ),
        TotalsRule(
            "pact-v3-examples",
            1,
            "PACT v3.0.3 published examples 1, 2 and 4",
            (_FOSSIL, _LUC, _LM_FOSSIL, _LM_BIO, _LM_REMOVALS, _TECH_REMOVALS),
        ),
    )
}
DEFAULT_RULE = RULES["pact-v3-description"]


def totals_rule(name: str | None) -> TotalsRule:
    """The rule called `name` (``pact-v3-examples`` or ``pact-v3-examples/1``); None gives the default."""
    if name is None:
        return DEFAULT_RULE
    base, _, version = name.partition("/")
    rule = RULES.get(base)
    if rule is None or (version and version != str(rule.version)):
        known = ", ".join(r.id for r in RULES.values())
        raise InvalidInputError(f"unknown totals rule {name!r}; use one of: {known}")
    return rule


@dataclass(frozen=True)
class TotalsMismatch:
    """A stated total that the default reading of its components does not give."""

    field: str
    stated: str
    expected: dict[str, Decimal]  # rule id -> sum of the stated components under that rule
    matches: tuple[str, ...]  # rule ids whose sum equals the stated total at its precision

    def message(self, default: TotalsRule = DEFAULT_RULE) -> str:
        """One line naming the default reading's sum and the reading(s) the stated value does match."""
        head = f"states {self.stated} but its components add up to {self.expected[default.id]:f} under {default.id}"
        if self.matches:
            return f"{head}; it matches reading {', '.join(self.matches)} (see docs/accounting.md, PCF totals)"
        others = ", ".join(f"{rule} {value:f}" for rule, value in self.expected.items() if rule != default.id)
        return f"{head}; it matches no PACT reading either ({others}); check the total and its components"


def _decimal(value: Any) -> Decimal | None:
    parsed = exact_decimal(value)  # the usual case (a checked PACT decimal string), parsed once per distinct string
    if parsed is not None:
        return parsed
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def component_sum(pcf: Mapping[str, Any], fields: tuple[str, ...]) -> Decimal:
    """Exact sum of the stated fields (missing or malformed fields count as 0)."""
    return sum((_decimal(pcf.get(name)) or Decimal(0) for name in fields), Decimal(0))


def _matches(stated: Decimal, computed: Decimal) -> bool:
    exponent = stated.as_tuple().exponent
    half_unit = Decimal(5).scaleb(int(exponent) - 1) if isinstance(exponent, int) else Decimal(0)
    return abs(stated - computed) <= half_unit


def check_totals(pcf: Mapping[str, Any], *, default: TotalsRule = DEFAULT_RULE) -> list[TotalsMismatch]:
    """Compare the stated totals of a PACT v3 CarbonFootprint with its components under every reading.

    Each component is read once; the other readings are summed only when the default one does not match.
    """
    found = []
    values = {name: _decimal(pcf.get(name)) or Decimal(0) for name in _COMPONENT_FIELDS}
    for total_field, including in (("pcfExcludingBiogenicUptake", False), ("pcfIncludingBiogenicUptake", True)):
        stated = _decimal(pcf.get(total_field))
        if stated is None:
            continue

        def total(rule: TotalsRule, including: bool = including) -> Decimal:
            return sum((values[name] for name in (rule.including if including else rule.excluding)), Decimal(0))

        if _matches(stated, total(default)):
            continue
        expected = {rule.id: total(rule) for rule in RULES.values()}
        matches = tuple(rule for rule, value in expected.items() if _matches(stated, value))
        found.append(TotalsMismatch(total_field, str(pcf[total_field]), expected, matches))
    return found


_COMPONENT_FIELDS = frozenset(name for rule in RULES.values() for name in rule.including)
