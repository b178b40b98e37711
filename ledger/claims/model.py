"""A green-finance claim a bank checks, parsed from JSON with strict validation.

```json
{
  "subject": {"productId": "urn:tanji:acme:coil"},      // or {"organization": "acme"}
  "metric": "footprint_per_declared_unit",
  "comparison": "<=",
  "threshold": "2.5",
  "asOf": "2027-03-31",
  "requiredAssurance": "limited"                          // none (default) | limited | reasonable
}
```

Metrics and their thresholds:

| metric                        | value                                           | threshold                         |
|-------------------------------|-------------------------------------------------|-----------------------------------|
| `footprint_per_declared_unit` | `pcf.pcfExcludingBiogenicUptake` (kgCO2e/unit)  | decimal string                    |
| `primary_data_share`          | `pcf.primaryDataShare` (percent)                | decimal string, 0-100             |
| `verified_share`              | share of the footprint third-party verified (%) | decimal string, 0-100             |
| `label_valid`                 | a carbon label on the declaration is valid      | `"true"` or `"false"`, with `==`  |
| `label_grade`                 | the grade of that valid label                   | grade text with `==` (*)          |

(*) a decimal grade (Zhejiang 碳等级 1-5) may also be compared with `<`, `<=`, `>`, `>=`.

`asOf` is a date (the state at the end of that day, UTC) or an ISO date-time. Unknown keys are refused, so a
misspelt field never silently widens a claim.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any, TypeVar

from ledger.errors import InvalidClaimError

CLAIM_KEYS = frozenset({"subject", "metric", "comparison", "threshold", "asOf", "requiredAssurance"})
MAX_TEXT = 512
E = TypeVar("E", bound=Enum)


class Metric(Enum):
    """What a claim is about."""

    FOOTPRINT_PER_DECLARED_UNIT = "footprint_per_declared_unit"
    LABEL_VALID = "label_valid"
    LABEL_GRADE = "label_grade"
    PRIMARY_DATA_SHARE = "primary_data_share"
    VERIFIED_SHARE = "verified_share"


METRIC_FIELDS = {  # the payload field (JSON pointer) each declared metric is read from; a bank needs it disclosed
    Metric.FOOTPRINT_PER_DECLARED_UNIT: "/pcf/pcfExcludingBiogenicUptake",
    Metric.PRIMARY_DATA_SHARE: "/pcf/primaryDataShare",
}
UNIT_FIELD = "/pcf/declaredUnitOfMeasurement"


class Comparison(Enum):
    """How the value is compared with the threshold."""

    AT_MOST = "<="
    BELOW = "<"
    AT_LEAST = ">="
    ABOVE = ">"
    EQUAL = "=="

    def holds(self, value: Decimal, threshold: Decimal) -> bool:
        """Does `value <comparison> threshold` hold?"""
        return {
            Comparison.AT_MOST: value <= threshold,
            Comparison.BELOW: value < threshold,
            Comparison.AT_LEAST: value >= threshold,
            Comparison.ABOVE: value > threshold,
            Comparison.EQUAL: value == threshold,
        }[self]


class RequiredAssurance(Enum):
    """The third-party assurance a claim needs (ISO 14064-3 levels); ranked none < limited < reasonable."""

    NONE = "none"
    LIMITED = "limited"
    REASONABLE = "reasonable"

    @property
    def rank(self) -> int:
        """0, 1 or 2 (the contract's Assurance codes)."""
        return ("none", "limited", "reasonable").index(self.value)


@dataclass(frozen=True)
class Subject:
    """A product (by product id) or an organization (by handle): exactly one is set."""

    product_id: str | None = None
    organization: str | None = None

    def describe(self) -> str:
        """``product urn:...`` or ``organization acme``."""
        return f"product {self.product_id}" if self.product_id else f"organization {self.organization}"


@dataclass(frozen=True)
class Claim:
    """A parsed claim; `threshold` is a Decimal, or the text of a non-decimal grade / ``true`` / ``false``."""

    subject: Subject
    metric: Metric
    comparison: Comparison
    threshold: Decimal | str
    as_of: datetime
    required_assurance: RequiredAssurance = RequiredAssurance.NONE

    def as_dict(self) -> dict[str, Any]:
        """The claim in its JSON vocabulary (what the verdict repeats)."""
        subject = {"productId": self.subject.product_id} if self.subject.product_id else {}
        if self.subject.organization:
            subject = {"organization": self.subject.organization}
        return {
            "subject": subject,
            "metric": self.metric.value,
            "comparison": self.comparison.value,
            "threshold": str(self.threshold),
            "asOf": self.as_of.isoformat(),
            "requiredAssurance": self.required_assurance.value,
        }


def parse_claim(data: Any) -> Claim:
    """A Claim from its JSON form; InvalidClaimError naming the field, the value and the accepted ones."""
    if not isinstance(data, dict):
        raise InvalidClaimError(f"a claim is a JSON object, got {type(data).__name__}; see docs/workflows.md")
    unknown = sorted(set(data) - CLAIM_KEYS)
    if unknown:
        raise InvalidClaimError(f"unknown claim field(s) {', '.join(unknown)}; use: {', '.join(sorted(CLAIM_KEYS))}")
    metric = _choice(Metric, data.get("metric"), "metric")
    comparison = _choice(Comparison, data.get("comparison"), "comparison")
    assurance = _choice(RequiredAssurance, data.get("requiredAssurance", "none"), "requiredAssurance")
    threshold = _threshold(metric, comparison, data.get("threshold"))
    return Claim(_subject(data.get("subject")), metric, comparison, threshold, _moment(data.get("asOf")), assurance)


def _choice(enum: type[E], value: Any, name: str) -> E:
    for member in enum:
        if member.value == value:
            return member
    choices = ", ".join(str(member.value) for member in enum)
    raise InvalidClaimError(f"claim {name} {value!r} is not one of: {choices}")


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_TEXT or value != value.strip():
        raise InvalidClaimError(f"claim {name} must be non-empty text of at most {MAX_TEXT} characters, got {value!r}")
    return value


def _subject(value: Any) -> Subject:
    if not isinstance(value, dict) or len(value) != 1 or not set(value) <= {"productId", "organization"}:
        raise InvalidClaimError(
            f"claim subject must be {{'productId': ...}} or {{'organization': ...}} (exactly one), got {value!r}"
        )
    if "productId" in value:
        return Subject(product_id=_text(value["productId"], "subject.productId"))
    return Subject(organization=_text(value["organization"], "subject.organization"))


def _decimal(value: Any, name: str) -> Decimal:
    if not isinstance(value, str):
        raise InvalidClaimError(f'claim {name} must be a decimal string such as "2.5", got {value!r}')
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise InvalidClaimError(f'claim {name} {value!r} is not a decimal number (write e.g. "2.5")') from None
    if not number.is_finite():
        raise InvalidClaimError(f"claim {name} {value!r} is not a finite number")
    return number


def _threshold(metric: Metric, comparison: Comparison, value: Any) -> Decimal | str:
    if metric is Metric.LABEL_VALID:
        if comparison is not Comparison.EQUAL or value not in ("true", "false"):
            raise InvalidClaimError(
                f'a label_valid claim compares with == to "true" or "false", got {comparison.value} {value!r}'
            )
        return str(value)
    if metric is Metric.LABEL_GRADE:
        grade = _text(value, "threshold")
        try:
            return _decimal(grade, "threshold")
        except InvalidClaimError:
            if comparison is not Comparison.EQUAL:
                raise InvalidClaimError(
                    f"grade {grade!r} is not a number, so it can only be compared with ==, not {comparison.value}"
                ) from None
            return grade
    number = _decimal(value, "threshold")
    if metric in (Metric.PRIMARY_DATA_SHARE, Metric.VERIFIED_SHARE) and not Decimal(0) <= number <= Decimal(100):
        raise InvalidClaimError(f"a {metric.value} threshold is a percentage from 0 to 100, got {value!r}")
    return number


def _moment(value: Any) -> datetime:
    if not isinstance(value, str):
        raise InvalidClaimError(f'claim asOf must be an ISO date such as "2027-03-31", got {value!r}')
    try:
        if len(value) == 10:
            return datetime.combine(date.fromisoformat(value), time(23, 59, 59), tzinfo=UTC)
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidClaimError(f"claim asOf {value!r} is not an ISO date or date-time (e.g. 2027-03-31)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
