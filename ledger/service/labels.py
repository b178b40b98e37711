"""Carbon labels (碳标识): issue with terms committed on chain, suspend, reinstate, revoke (certification bodies;
regulators revoke). The public check by serial is in ``label_check``, downstream flagging in ``label_impact``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session

from ledger.chain_port import ActingChainPort, Sender
from ledger.codes import Reason
from ledger.errors import InvalidLabelError, UnattestedDeclarationError
from ledger.hashing import keccak256
from ledger.labels.benchmarks import MAX_GRADE_BYTES
from ledger.labels.catalogue import category_of
from ledger.labels.rules import (
    certified_value_matches_declaration,
    footprint_per_declared_unit,
    grade_from_benchmark,
)
from ledger.labels.terms import (
    BenchmarkRef,
    LabelKind,
    LabelTerms,
    certified_value_of,
    filing_number_of,
    scheme_of,
)
from ledger.service.declaration_actions import require_anchored
from ledger.service.supply_chain import stored_payload
from ledger.storage import label_store
from ledger.storage.keyring import Keyring
from ledger.storage.tables import DeclarationRow

LABEL_ACTIONS = ("suspend", "reinstate", "revoke")
MAX_SERIAL = 128


def serial_id(serial: str) -> bytes:
    """On-chain id of a printed serial (keccak-256 of its UTF-8 text)."""
    text = serial.strip()
    if not text or len(text) > MAX_SERIAL:
        raise InvalidLabelError(f"label serial {serial!r} must be 1-{MAX_SERIAL} characters; use the printed serial")
    return keccak256(text.encode("utf-8"))


def epoch_of(text: str) -> int:
    """Seconds since 1970 of an ISO date or date-time (UTC when no zone is given)."""
    return int(moment_of(text).timestamp())


def moment_of(text: str) -> datetime:
    """An ISO date or date-time as an aware datetime (UTC when no zone is given)."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidLabelError(f"{text!r} is not an ISO date or date-time (e.g. 2027-12-31)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def grade_bytes(grade: str | None) -> bytes:
    """The grade as it goes on chain (0-16 bytes of UTF-8; none when the label has no grade)."""
    if grade is None:
        return b""
    data = grade.encode("utf-8")
    if not data or len(data) > MAX_GRADE_BYTES:
        raise InvalidLabelError(f"grade {grade!r} must be 1-16 bytes of UTF-8")
    return data


@dataclass(frozen=True)
class LabelIssue:
    """What a certifier states when it issues a label (checked against the declaration and the benchmark)."""

    serial: str
    declaration: str  # id or digest
    valid_from: str
    valid_until: str
    filing_number: str
    kind: str = LabelKind.CARBON_FOOTPRINT.value
    scheme: str = "national-2025"
    value: str | None = None  # None: the declaration's footprint per declared unit
    grade: str | None = None  # None: the benchmark's grade when a category is given, else no grade
    score: str | None = None
    category: str | None = None  # catalogue id or statistical code; its benchmark grades the value
    benchmark_version: str | None = None  # None: the newest stored version of the category's benchmark
    attestation_index: int | None = None  # None: the newest positive attestation that is not withdrawn

    def precheck(self) -> None:
        """Checks needing no database or chain (the CLI runs them before asking for a wallet password)."""
        serial_id(self.serial)
        LabelKind.parse(self.kind)
        scheme_of(self.scheme)
        filing_number_of(self.filing_number)
        grade_bytes(self.grade)
        if self.value is not None:
            certified_value_of(self.value)
        if self.score is not None:
            certified_value_of(self.score)
        if self.category is not None:
            category_of(self.category)
        elif self.grade is not None or self.score is not None:
            raise InvalidLabelError(
                f"grade {self.grade!r} / score {self.score!r} given without a category: a grade or score comes from a "
                "category benchmark; give --category (and import its benchmark) or omit them"
            )
        if epoch_of(self.valid_until) <= epoch_of(self.valid_from):
            raise InvalidLabelError(f"valid until {self.valid_until} is not after valid from {self.valid_from}")


@dataclass(frozen=True)
class IssuedLabel:
    """A label recorded on chain, with its terms stored here."""

    serial: str
    terms: LabelTerms
    block_number: int

    @property
    def grade(self) -> str:
        """The grade, or an empty string when the label has none."""
        return self.terms.grade or ""


def label_terms(session: Session, keyring: Keyring, request: LabelIssue, row: DeclarationRow) -> LabelTerms:
    """The terms of `request` on the stored declaration `row`: value checked against the declaration's footprint,
    grade and score taken from (and checked against) the category benchmark."""
    request.precheck()
    kind = LabelKind.parse(request.kind)
    declared, unit = footprint_per_declared_unit(stored_payload(session, keyring, row))
    value = declared if request.value is None else certified_value_of(request.value)
    if kind is LabelKind.CARBON_FOOTPRINT:
        certified_value_matches_declaration(certified=value, declared=declared, unit=unit, declaration=row.id)
    grade, score = request.grade, None if request.score is None else certified_value_of(request.score)
    benchmark_ref = None
    if request.category is not None:
        category = category_of(request.category).code
        benchmark = label_store.load_benchmark(session, category=category, version=request.benchmark_version)
        grade, score = grade_from_benchmark(
            benchmark, value=value, unit=unit, requested_grade=grade, requested_score=score
        )
        benchmark_ref = BenchmarkRef(benchmark.category, benchmark.version, "0x" + benchmark.content_hash().hex())
    return LabelTerms(
        serial=request.serial.strip(),
        kind=kind,
        scheme=scheme_of(request.scheme),
        filing_number=filing_number_of(request.filing_number),
        value=value,
        declared_unit=unit,
        product_id=row.product_id,
        declaration_id=row.id,
        declaration_digest=row.digest,
        valid_from=moment_of(request.valid_from).astimezone(UTC).isoformat(),
        valid_until=moment_of(request.valid_until).astimezone(UTC).isoformat(),
        grade=grade,
        score=score,
        benchmark=benchmark_ref,
    )


def issue_label(
    session: Session, keyring: Keyring, chain: ActingChainPort, request: LabelIssue, sender: Sender
) -> IssuedLabel:
    """Issue a label on a stored declaration, signed by the certifier's wallet; its terms are stored here once the
    chain has recorded their hash (nothing is kept when the chain refuses)."""
    request.precheck()
    anchored = require_anchored(session, request.declaration)
    row = anchored.row
    terms = label_terms(session, keyring, request, row)
    index = request.attestation_index
    if index is None:
        index = positive_attestation(chain, anchored.digest, row.id)
    mined = chain.issue_label(
        serial_id(terms.serial),
        keccak256(row.product_id.encode("utf-8")),
        anchored.leaf,
        grade_bytes(terms.grade),
        (epoch_of(terms.valid_from), epoch_of(terms.valid_until)),
        index,
        terms.terms_hash(),
        sender,
    )
    label_store.add_terms(session, terms)  # a serial is new on chain, so it is new here too
    session.commit()
    return IssuedLabel(terms.serial, terms, mined.block_number)


def positive_attestation(chain: ActingChainPort, digest: bytes, declaration_id: str) -> int:
    """Index of the newest verified or qualified attestation of `digest` that is not withdrawn."""
    for item in reversed(chain.attestations(digest)):
        if item["result"] in ("verified", "qualified") and not item["withdrawnAtBlock"]:
            return int(str(item["index"]))
    raise UnattestedDeclarationError(
        f"declaration {declaration_id} has no verified or qualified attestation that is not withdrawn; "
        "a carbon label rests on a third-party verification (`tanji attest`)"
    )


def change_label(chain: ActingChainPort, serial: str, action: str, reason: Reason | None, sender: Sender) -> int:
    """Suspend, reinstate or revoke label `serial`; return the block it was recorded in."""
    if action not in LABEL_ACTIONS:
        raise InvalidLabelError(f"unknown label action {action!r}; use one of: {', '.join(LABEL_ACTIONS)}")
    code = 0 if action == "reinstate" else int(reason or 0)
    return chain.change_label(action, serial_id(serial), code, sender).block_number
