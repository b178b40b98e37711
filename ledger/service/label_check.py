"""The public check of a carbon label by serial: its status on chain, its validity window at the checker's clock, and
its stored terms proved against the ``termsHash`` the chain holds. Only ``valid`` may be relied on."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session

from ledger.canonical import hex32, loads_exact
from ledger.chain_port import ActingChainPort, LabelRecord
from ledger.codes import LabelStatus
from ledger.labels.terms import terms_hash_of_stored
from ledger.service.labels import serial_id
from ledger.service.verify_stored import verify_stored
from ledger.storage import label_store, repository
from ledger.storage.keyring import Keyring
from ledger.storage.tables import BatchRow

REASONS: dict[LabelStatus, str] = {
    LabelStatus.UNKNOWN: "no label with this serial was issued on this ledger's chain",
    LabelStatus.NOT_YET_VALID: "the label's validity has not started",
    LabelStatus.EXPIRED: "the label has expired",
    LabelStatus.SUSPENDED: "the certification body suspended the label",
    LabelStatus.REVOKED: "the label was revoked (by its certification body or a regulator)",
    LabelStatus.DECLARATION_REVOKED: "the declaration the label rests on was revoked",
    LabelStatus.DECLARATION_SUPERSEDED: "the declaration the label rests on was superseded; a label must be issued "
    "on the current declaration",
    LabelStatus.ATTESTATION_WITHDRAWN: "the third-party verification the label rests on was withdrawn",
}
TERMS_TAMPERED = "terms_mismatch"


@dataclass
class LabelCheck:
    """The public check of a label by serial, and of the declaration behind it when this ledger holds it."""

    serial: str
    status: LabelStatus
    details: dict[str, Any] = field(default_factory=dict)
    declaration: dict[str, Any] | None = None
    terms_problem: str | None = None  # why the stored terms cannot be relied on

    @property
    def valid(self) -> bool:
        """True when the label is valid now and its stored terms (if any) match the chain."""
        return self.status is LabelStatus.VALID and self.terms_problem is None

    @property
    def status_text(self) -> str:
        """The status word: the chain's, or ``terms_mismatch`` when the stored terms were altered."""
        return TERMS_TAMPERED if self.terms_problem and self.status is LabelStatus.VALID else self.status.text

    @property
    def reason(self) -> str | None:
        """Why the label may not be relied on (None when valid)."""
        if self.valid:
            return None
        return "; ".join(part for part in (REASONS.get(self.status), self.terms_problem) if part)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (the CLI's and the API's shape)."""
        data: dict[str, Any] = {
            "serial": self.serial,
            "status": self.status_text,
            "valid": self.valid,
            "reason": self.reason,
            **self.details,
        }
        if self.declaration is not None:
            data["declaration"] = self.declaration
        return data


def check_label(
    session: Session,
    keyring: Keyring,
    chain: ActingChainPort,
    serial: str,
    *,
    verify_declaration: bool = True,
    now: float | None = None,
) -> LabelCheck:
    """Status of label `serial` on chain at `now` (default: the clock), its stored terms checked against the chain's
    terms hash and, when `verify_declaration`, the declaration it rests on verified when held here."""
    record = chain.label(serial_id(serial))
    if record is None:
        return LabelCheck(serial, LabelStatus.UNKNOWN)
    status = _at_clock(record, time.time() if now is None else now)
    digest = hex32(record.declaration_digest)
    check = LabelCheck(serial, status, _chain_details(record))
    _add_terms(session, check, record)
    row = repository.get_declaration(session=session, key=digest)
    if row is not None:
        check.details["anchor"] = _anchor_of(session, row.batch_id)
        if verify_declaration:
            report = verify_stored(session, keyring, chain, row.id)
            check.declaration = {
                "id": row.id,
                "productId": row.product_id,
                "valid": bool(report and report.valid),
                "firstFailure": report.first_failure.detail if report and report.first_failure else None,
            }
    return check


def _at_clock(record: LabelRecord, now: float) -> LabelStatus:
    """The chain judges the window at its last block's time, which lags on an idle chain: judge it at `now` too."""
    if record.status is not LabelStatus.VALID:
        return record.status
    if now < record.valid_from:
        return LabelStatus.NOT_YET_VALID
    if now >= record.valid_until:
        return LabelStatus.EXPIRED
    return LabelStatus.VALID


def _chain_details(record: LabelRecord) -> dict[str, Any]:
    return {
        "grade": record.grade or None,
        "issuerOrg": hex32(record.issuer_org),
        "declarationDigest": hex32(record.declaration_digest),
        "validFrom": datetime.fromtimestamp(record.valid_from, UTC).isoformat(),
        "validUntil": datetime.fromtimestamp(record.valid_until, UTC).isoformat(),
        "termsHash": hex32(record.terms_hash),
        "terms": None,
        "termsVerified": False,
    }


def _add_terms(session: Session, check: LabelCheck, record: LabelRecord) -> None:
    """Show the stored terms only when they hash to the chain's terms hash; otherwise fail the check."""
    stored = label_store.terms_of(session, check.serial.strip())
    if stored is None:
        return  # issued elsewhere (or relayed): the chain's fields stand, the terms are not held here
    recomputed = terms_hash_of_stored(stored.terms)
    if recomputed != record.terms_hash:
        check.terms_problem = (
            f"the stored terms hash to {hex32(recomputed)}, not to the terms hash on chain {hex32(record.terms_hash)}: "
            "they were altered after issue and are not shown"
        )
        return
    terms: dict[str, Any] = loads_exact(stored.terms)
    check.details["terms"] = terms
    check.details["termsVerified"] = True
    for key in ("kind", "value", "unit", "score", "scheme", "filingNumber", "productId"):
        check.details[key] = terms.get(key)


def _anchor_of(session: Session, batch_id: int | None) -> dict[str, Any] | None:
    batch = session.get(BatchRow, batch_id) if batch_id is not None else None
    if batch is None:
        return None
    return {"root": batch.root, "txHash": batch.tx_hash, "blockNumber": batch.block_number}
