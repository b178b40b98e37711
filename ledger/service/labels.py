"""Carbon labels (碳标识): issue, suspend, reinstate, revoke (certification bodies; regulators revoke) and the
public check by serial."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session

from ledger.chain_port import ActingChainPort, Sender
from ledger.codes import LabelStatus, Reason
from ledger.errors import InvalidLabelError, UnattestedDeclarationError
from ledger.hashing import keccak256
from ledger.service.declaration_actions import require_anchored
from ledger.service.verify_stored import verify_stored
from ledger.storage import repository
from ledger.storage.keyring import Keyring

LABEL_ACTIONS = ("suspend", "reinstate", "revoke")


def serial_id(serial: str) -> bytes:
    """On-chain id of a printed serial (keccak-256 of its UTF-8 text)."""
    text = serial.strip()
    if not text:
        raise InvalidLabelError("a label serial is empty; use the serial printed on the label")
    return keccak256(text.encode("utf-8"))


def epoch_of(text: str) -> int:
    """Seconds since 1970 of an ISO date or date-time (UTC when no zone is given)."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidLabelError(f"{text!r} is not an ISO date or date-time (e.g. 2027-12-31)") from None
    return int((moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp())


@dataclass(frozen=True)
class LabelIssue:
    """What a certifier states when it issues a label."""

    serial: str
    declaration: str  # id or digest
    grade: str
    valid_from: str
    valid_until: str
    attestation_index: int | None = None  # None: the newest positive attestation that is not withdrawn

    def grade_bytes(self) -> bytes:
        """The grade as it goes on chain (1-16 bytes of UTF-8)."""
        grade = self.grade.encode("utf-8")
        if not grade or len(grade) > 16:
            raise InvalidLabelError(f"grade {self.grade!r} must be 1-16 bytes of UTF-8")
        return grade


@dataclass(frozen=True)
class IssuedLabel:
    """A label recorded on chain."""

    serial: str
    grade: str
    product_id: str
    declaration_id: str
    block_number: int


def issue_label(session: Session, chain: ActingChainPort, request: LabelIssue, sender: Sender) -> IssuedLabel:
    """Issue a label on a stored declaration, signed by the certifier's wallet."""
    grade = request.grade_bytes()
    window = (epoch_of(request.valid_from), epoch_of(request.valid_until))
    anchored = require_anchored(session, request.declaration)
    row = anchored.row
    index = request.attestation_index
    if index is None:
        index = positive_attestation(chain, anchored.digest, row.id)
    mined = chain.issue_label(
        serial_id(request.serial),
        keccak256(row.product_id.encode("utf-8")),
        anchored.leaf,
        grade,
        window,
        index,
        sender,
    )
    return IssuedLabel(request.serial, request.grade, row.product_id, row.id, mined.block_number)


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


@dataclass
class LabelCheck:
    """The public check of a label by serial, and of the declaration behind it when this ledger holds it."""

    serial: str
    status: LabelStatus
    details: dict[str, Any] = field(default_factory=dict)
    declaration: dict[str, Any] | None = None

    @property
    def valid(self) -> bool:
        """True when the label is valid now."""
        return self.status is LabelStatus.VALID

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (the CLI's and the API's shape)."""
        data: dict[str, Any] = {"serial": self.serial, "status": self.status.text, "valid": self.valid, **self.details}
        if self.declaration is not None:
            data["declaration"] = self.declaration
        return data


def check_label(session: Session, keyring: Keyring, chain: ActingChainPort, serial: str) -> LabelCheck:
    """Status of label `serial` on chain; the declaration it rests on is verified when held here."""
    record = chain.label(serial_id(serial))
    if record is None:
        return LabelCheck(serial, LabelStatus.UNKNOWN)
    digest = "0x" + record.declaration_digest.hex()
    check = LabelCheck(
        serial,
        record.status,
        {
            "grade": record.grade,
            "issuerOrg": "0x" + record.issuer_org.hex(),
            "declarationDigest": digest,
            "validFrom": datetime.fromtimestamp(record.valid_from, UTC).isoformat(),
            "validUntil": datetime.fromtimestamp(record.valid_until, UTC).isoformat(),
        },
    )
    row = repository.get_declaration(session=session, key=digest)
    if row is not None:
        report = verify_stored(session, keyring, chain, row.id)
        check.declaration = {
            "id": row.id,
            "productId": row.product_id,
            "valid": bool(report and report.valid),
            "firstFailure": report.first_failure.detail if report and report.first_failure else None,
        }
    return check
