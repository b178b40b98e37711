"""Judge a claim on the facts a bank may see: holds, does not hold, or cannot be determined (with the reasons).

The facts come from `ledger.service.claim_check`, already cut to what the bank may see: a metric whose field was not
disclosed is simply absent from `values`, so the evaluator cannot leak it. Rules, in order, per product:

1. no anchored declaration current as of the claim's date          -> cannot be determined (why not, per version)
2. required assurance not met by a standing positive attestation   -> cannot be determined
3. the metric's value not disclosed to the bank / not stated       -> cannot be determined
4. label metrics: no label valid as of the date (label_valid)      -> the comparison decides with value false
                  no label valid as of the date (label_grade)      -> cannot be determined (expired, revoked, ...)
5. otherwise the comparison decides                                -> holds / does not hold

An organization's claim holds when it holds for every product the organization declared (none failing, none
undetermined).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any

from ledger.claims.model import Claim, Metric, RequiredAssurance

POSITIVE_RESULTS = ("verified", "qualified")
ASSURANCE_RANK = {"none": 0, "limited": 1, "reasonable": 2}
TIME_BASED_LABEL_STATES = ("valid", "expired", "not-yet-valid")  # their meaning depends only on the window


class Outcome(Enum):
    """The verdict on a claim."""

    HOLDS = "holds"
    DOES_NOT_HOLD = "does_not_hold"
    CANNOT_BE_DETERMINED = "cannot_be_determined"


@dataclass(frozen=True)
class AttestationFact:
    """An auditor's attestation of the declaration, as the chain holds it."""

    result: str  # verified | qualified | rejected
    assurance: str  # none | limited | reasonable
    withdrawn: bool

    @property
    def standing_positive(self) -> bool:
        """Verified or qualified, and not withdrawn."""
        return self.result in POSITIVE_RESULTS and not self.withdrawn

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {"result": self.result, "assurance": self.assurance, "withdrawn": self.withdrawn}


@dataclass(frozen=True)
class LabelFact:
    """A carbon label on the declaration: grade, validity window (epoch seconds) and status now."""

    serial: str
    grade: str
    status: str
    valid_from: int
    valid_until: int

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (validity as ISO dates)."""
        return {
            "serial": self.serial,
            "grade": self.grade,
            "status": self.status,
            "validFrom": _date(self.valid_from),
            "validUntil": _date(self.valid_until),
        }

    def valid_at(self, moment: datetime) -> bool:
        """Valid at `moment`: inside its window and in a state that only time changes (never revoked, suspended)."""
        epoch = moment.timestamp()
        return self.status in TIME_BASED_LABEL_STATES and self.valid_from <= epoch <= self.valid_until

    def why_not_valid(self, moment: datetime) -> str:
        """Why the label is not valid at `moment`."""
        if self.status not in TIME_BASED_LABEL_STATES:
            return f"label {self.serial} is {self.status} now (the chain keeps no history of label changes)"
        if moment.timestamp() > self.valid_until:
            return f"label {self.serial} expired on {_date(self.valid_until)}"
        return f"label {self.serial} was not yet valid (from {_date(self.valid_from)})"


@dataclass(frozen=True)
class DeclarationFacts:
    """The declaration current as of the claim's date, cut to the viewer: `values` holds only disclosed metrics
    (None when disclosed but not stated in the payload)."""

    declaration_id: str
    digest: str
    values: dict[Metric, Decimal | None]
    attestations: tuple[AttestationFact, ...] = ()
    labels: tuple[LabelFact, ...] = ()
    unit: str | None = None


@dataclass(frozen=True)
class ProductFacts:
    """One product of the claim's subject: its current declaration, or None with the reasons there is none."""

    product_id: str
    declaration: DeclarationFacts | None
    reasons: tuple[str, ...] = ()
    undisclosed: dict[Metric, str] = field(default_factory=dict)  # metric -> the field pointer not disclosed


@dataclass(frozen=True)
class ProductVerdict:
    """The verdict for one product; `value` only when the viewer may see it."""

    product_id: str
    outcome: Outcome
    reasons: tuple[str, ...]
    declaration_id: str | None = None
    value: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "productId": self.product_id,
            "outcome": self.outcome.value,
            "reasons": list(self.reasons),
            "declarationId": self.declaration_id,
            "value": self.value,
        }


@dataclass(frozen=True)
class ClaimVerdict:
    """The verdict on the whole claim and per product."""

    claim: Claim
    outcome: Outcome
    products: tuple[ProductVerdict, ...]

    @property
    def reasons(self) -> list[str]:
        """Every product's reasons, prefixed by the product when the subject is an organization."""
        if len(self.products) == 1:
            return list(self.products[0].reasons)
        return [f"{item.product_id}: {reason}" for item in self.products for reason in item.reasons]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (the CLI's --json and the API's shape)."""
        return {
            "claim": self.claim.as_dict(),
            "outcome": self.outcome.value,
            "reasons": self.reasons,
            "products": [item.as_dict() for item in self.products],
        }


def evaluate_claim(claim: Claim, facts: list[ProductFacts]) -> ClaimVerdict:
    """Judge `claim` on `facts` (one entry per product of the subject)."""
    verdicts = tuple(evaluate_product(claim, item) for item in facts)
    outcomes = {item.outcome for item in verdicts}
    if Outcome.DOES_NOT_HOLD in outcomes:
        outcome = Outcome.DOES_NOT_HOLD
    elif Outcome.CANNOT_BE_DETERMINED in outcomes or not verdicts:
        outcome = Outcome.CANNOT_BE_DETERMINED
    else:
        outcome = Outcome.HOLDS
    return ClaimVerdict(claim, outcome, verdicts)


def evaluate_product(claim: Claim, facts: ProductFacts) -> ProductVerdict:
    """Judge `claim` for one product (the rules in the module docstring, in order)."""
    declaration = facts.declaration
    undetermined = Outcome.CANNOT_BE_DETERMINED
    if declaration is None:
        as_of = claim.as_of.isoformat()
        reasons = (f"no anchored current declaration of {facts.product_id} as of {as_of}", *facts.reasons)
        return ProductVerdict(facts.product_id, undetermined, reasons)
    found = _assurance_problem(claim.required_assurance, declaration.attestations)
    if found is not None:
        return ProductVerdict(facts.product_id, undetermined, (found,), declaration.declaration_id)
    if claim.metric in (Metric.LABEL_VALID, Metric.LABEL_GRADE):
        return _judge_label(claim, facts.product_id, declaration)
    if claim.metric not in declaration.values:
        pointer = facts.undisclosed.get(claim.metric, claim.metric.value)
        reason = f"not disclosed: {pointer} of declaration {declaration.declaration_id} was not disclosed to the viewer"
        return ProductVerdict(facts.product_id, undetermined, (reason,), declaration.declaration_id)
    value = declaration.values[claim.metric]
    if value is None:
        reason = f"declaration {declaration.declaration_id} states no {claim.metric.value}"
        return ProductVerdict(facts.product_id, undetermined, (reason,), declaration.declaration_id)
    assert isinstance(claim.threshold, Decimal)  # parse_claim gives numeric metrics a Decimal threshold
    unit = ""
    if claim.metric is Metric.FOOTPRINT_PER_DECLARED_UNIT:
        unit = f" kgCO2e per {declaration.unit or 'declared unit'}"
    return _compared(claim, facts.product_id, declaration.declaration_id, value, claim.threshold, unit)


def _assurance_problem(required: RequiredAssurance, attestations: tuple[AttestationFact, ...]) -> str | None:
    if required is RequiredAssurance.NONE:
        return None
    standing = [item for item in attestations if item.standing_positive]
    best = max((ASSURANCE_RANK.get(item.assurance, 0) for item in standing), default=-1)
    if best >= required.rank:
        return None
    held = "no standing verified or qualified attestation" if best < 0 else f"at best {_rank_name(best)} assurance"
    return f"assurance below required: {required.value} assurance required, the declaration has {held}"


def _rank_name(rank: int) -> str:
    return next(name for name, value in ASSURANCE_RANK.items() if value == rank)


def _judge_label(claim: Claim, product_id: str, declaration: DeclarationFacts) -> ProductVerdict:
    valid = [label for label in declaration.labels if label.valid_at(claim.as_of)]
    why_not = tuple(label.why_not_valid(claim.as_of) for label in declaration.labels if label not in valid)
    if not declaration.labels:
        why_not = (f"no carbon label was issued on declaration {declaration.declaration_id}",)
    key = declaration.declaration_id
    if claim.metric is Metric.LABEL_VALID:
        stated = bool(valid)
        holds = stated == (claim.threshold == "true")
        shown = [f"label {label.serial} valid as of {claim.as_of.date()}" for label in valid] or list(why_not)
        outcome = Outcome.HOLDS if holds else Outcome.DOES_NOT_HOLD
        return ProductVerdict(product_id, outcome, tuple(shown), key, "true" if stated else "false")
    if not valid:
        return ProductVerdict(product_id, Outcome.CANNOT_BE_DETERMINED, why_not, key)
    label = valid[-1]
    if isinstance(claim.threshold, str):
        holds = label.grade == claim.threshold
        reason = f"label {label.serial} grade {label.grade!r} {'==' if holds else '!='} {claim.threshold!r}"
        return ProductVerdict(
            product_id, Outcome.HOLDS if holds else Outcome.DOES_NOT_HOLD, (reason,), key, label.grade
        )
    try:
        grade = Decimal(label.grade)
    except InvalidOperation:
        reason = f"label {label.serial} grade {label.grade!r} is not a number; compare it with == instead"
        return ProductVerdict(product_id, Outcome.CANNOT_BE_DETERMINED, (reason,), key, label.grade)
    return _compared(claim, product_id, key, grade, claim.threshold, "")


def _compared(
    claim: Claim, product_id: str, declaration_id: str, value: Decimal, threshold: Decimal, unit: str
) -> ProductVerdict:
    holds = claim.comparison.holds(value, threshold)
    sign = claim.comparison.value if holds else f"not {claim.comparison.value}"
    reason = f"{claim.metric.value} {value}{unit} is {sign} {threshold}"
    outcome = Outcome.HOLDS if holds else Outcome.DOES_NOT_HOLD
    return ProductVerdict(product_id, outcome, (reason,), declaration_id, str(value))


def _date(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, UTC).date().isoformat()
