"""The terms of a carbon label (碳标识) and the hash that commits them on chain.

A label's terms: its kind, the certified value per declared unit (kgCO2e per one ``declaredUnitOfMeasurement``),
the scheme, the printed serial, the filing number (备案号), the validity window, the declaration it rests on and,
optionally, the grade and score a category benchmark gives for the value. The terms are kept off chain; their
``termsHash`` (keccak-256 of the RFC 8785 canonical JSON of :meth:`LabelTerms.document`) is recorded by
``TanjiLabels.issueLabel``, so anyone holding the terms proves they are the certified ones.

Filing number (备案号): no national format is published with the 2025 pilot that Tanji could cite, so Tanji checks
a conservative shape only: 6-40 characters, upper-case Latin letters, digits and hyphens; a letter prefix of 2-8
letters (the filing authority or scheme, e.g. ``ZJ``, ``CNCA``), optional groups, a four-digit year group 2000-2099
and a final group of digits, e.g. ``ZJ-TBS-2026-000123`` or ``CNCA-CFL-2025-0042``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any

from ledger.canonical import canonical_bytes
from ledger.errors import InvalidLabelTermsError
from ledger.hashing import keccak256

TERMS_TYPE = "tanji.label-terms/1"
FILING_NUMBER = re.compile(r"^[A-Z]{2,8}(?:-[A-Z0-9]{1,12}){0,3}-20\d{2}-\d{1,12}$")
MAX_FILING_NUMBER = 40


class LabelKind(Enum):
    """What a label certifies."""

    CARBON_FOOTPRINT = "carbon-footprint"  # 碳足迹标识: the footprint value itself
    CARBON_REDUCTION = "carbon-reduction"  # 减碳 / 低碳标识: a reduction (low-carbon) claim
    CARBON_NEUTRAL = "carbon-neutral"  # 碳中和标识: footprint offset to net zero

    @classmethod
    def parse(cls, text: str) -> LabelKind:
        """The kind named `text` (its value, e.g. carbon-footprint)."""
        for kind in cls:
            if kind.value == text.strip().lower():
                return kind
        known = ", ".join(kind.value for kind in cls)
        raise InvalidLabelTermsError(f"unknown label kind {text!r}; use one of: {known}")


SCHEMES: dict[str, str] = {
    "national-2025": "national product carbon footprint label certification (全国产品碳足迹标识认证, 2025 pilot)",
    "zhejiang": "Zhejiang provincial carbon label with carbon score and grade (浙江 碳标签: 碳得分 / 碳等级)",
    "shanghai": "Shanghai provincial product carbon footprint label (上海 碳标识)",
}


def scheme_of(text: str) -> str:
    """The scheme id `text`, refused when unknown."""
    scheme = text.strip().lower()
    if scheme not in SCHEMES:
        raise InvalidLabelTermsError(f"unknown label scheme {text!r}; use one of: {', '.join(SCHEMES)}")
    return scheme


def filing_number_of(text: str) -> str:
    """The filing number `text` (see the module docstring for the shape checked)."""
    number = text.strip()
    if len(number) > MAX_FILING_NUMBER or not FILING_NUMBER.match(number):
        raise InvalidLabelTermsError(
            f"filing number (备案号) {text!r} is not of the form PREFIX[-GROUP]-YEAR-DIGITS in upper-case letters, "
            "digits and hyphens (6-40 characters), e.g. ZJ-TBS-2026-000123"
        )
    return number


def certified_value_of(text: str) -> Decimal:
    """A certified value: a finite, non-negative decimal."""
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise InvalidLabelTermsError(f"certified value {text!r} is not a decimal number (e.g. 12.5)") from None
    if not value.is_finite() or value < 0:
        raise InvalidLabelTermsError(f"certified value {text!r} must be a finite number >= 0 (kgCO2e per unit)")
    return value


@dataclass(frozen=True)
class BenchmarkRef:
    """The benchmark version a grade comes from, and its content hash."""

    category: str
    version: str
    content_hash: str  # 0x-hex keccak-256 of the canonical benchmark document


@dataclass(frozen=True)
class LabelTerms:
    """Everything a label states (see the module docstring)."""

    serial: str
    kind: LabelKind
    scheme: str
    filing_number: str
    value: Decimal
    declared_unit: str
    product_id: str
    declaration_id: str
    declaration_digest: str
    valid_from: str  # ISO 8601, UTC
    valid_until: str
    grade: str | None = None
    score: Decimal | None = None
    benchmark: BenchmarkRef | None = None

    @property
    def unit(self) -> str:
        """The value's unit as printed: kgCO2e per one declared unit."""
        return f"kgCO2e/{self.declared_unit}"

    def document(self) -> dict[str, Any]:
        """The terms as JSON (decimals as strings); what is stored and hashed."""
        document: dict[str, Any] = {
            "type": TERMS_TYPE,
            "serial": self.serial,
            "kind": self.kind.value,
            "scheme": self.scheme,
            "filingNumber": self.filing_number,
            "value": str(self.value),
            "unit": self.unit,
            "productId": self.product_id,
            "declarationId": self.declaration_id,
            "declarationDigest": self.declaration_digest,
            "validFrom": self.valid_from,
            "validUntil": self.valid_until,
            "grade": self.grade,
            "score": None if self.score is None else str(self.score),
            "benchmark": None,
        }
        if self.benchmark is not None:
            document["benchmark"] = {
                "category": self.benchmark.category,
                "version": self.benchmark.version,
                "contentHash": self.benchmark.content_hash,
            }
        return document

    def canonical(self) -> bytes:
        """RFC 8785 canonical JSON of the terms."""
        return canonical_bytes(self.document())

    def terms_hash(self) -> bytes:
        """keccak-256 of the canonical terms: the ``termsHash`` recorded on chain."""
        return keccak256(self.canonical())


def terms_from_document(document: Any) -> LabelTerms:
    """Terms from their JSON form (:meth:`LabelTerms.document`); malformed terms are refused naming the field."""
    if not isinstance(document, dict) or document.get("type") != TERMS_TYPE:
        raise InvalidLabelTermsError(f"label terms must be a JSON object of type {TERMS_TYPE!r}")
    try:
        benchmark = document.get("benchmark")
        unit = str(document["unit"])
        if not unit.startswith("kgCO2e/"):
            raise InvalidLabelTermsError(f"terms unit {unit!r} is not kgCO2e per a declared unit")
        score = document.get("score")
        return LabelTerms(
            serial=str(document["serial"]),
            kind=LabelKind.parse(str(document["kind"])),
            scheme=scheme_of(str(document["scheme"])),
            filing_number=filing_number_of(str(document["filingNumber"])),
            value=certified_value_of(str(document["value"])),
            declared_unit=unit.removeprefix("kgCO2e/"),
            product_id=str(document["productId"]),
            declaration_id=str(document["declarationId"]),
            declaration_digest=str(document["declarationDigest"]),
            valid_from=str(document["validFrom"]),
            valid_until=str(document["validUntil"]),
            grade=None if document.get("grade") is None else str(document["grade"]),
            score=None if score is None else certified_value_of(str(score)),
            benchmark=None
            if benchmark is None
            else BenchmarkRef(str(benchmark["category"]), str(benchmark["version"]), str(benchmark["contentHash"])),
        )
    except (KeyError, TypeError) as exc:
        raise InvalidLabelTermsError(f"label terms lack or mistype field {exc}; send the terms as issued") from None


def terms_hash_of_stored(canonical_json: str) -> bytes:
    """The terms hash of stored canonical terms text (recomputed by the public check)."""
    return keccak256(canonical_json.encode("utf-8"))
