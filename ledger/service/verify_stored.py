"""Verification of declarations held in this ledger's store."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from ledger.chain_port import ChainPort
from ledger.declarations.envelope import open_envelope
from ledger.errors import DeclarationNotFoundError, LedgerError
from ledger.service.attestation_reports import described
from ledger.service.ingest import decrypt_envelope
from ledger.service.verify import AnchorClaim, VerificationReport, verify_envelope
from ledger.storage import repository
from ledger.storage.keyring import Keyring
from ledger.storage.tables import BatchRow


def verify_stored(
    session: Session, keyring: Keyring, chain: ChainPort, key: str, *, as_of: int | None = None
) -> VerificationReport | None:
    """Verify the stored declaration `key` (id or digest) against the chain; None when unknown.

    The stored ciphertext is decrypted and authenticated first, so a tampered row fails the envelope check.
    """
    row = repository.get_declaration(session=session, key=key)
    if row is None:
        return None
    try:
        envelope = decrypt_envelope(session, keyring, row)
    except Exception as exc:  # ConfidentialityError or a corrupt row: report, don't crash
        report = VerificationReport(declaration_id=row.id, digest=row.digest)
        report.add("envelope", False, f"stored payload unreadable: {exc}")
        return report
    claim = None
    if row.batch_id is not None:
        batch = session.get(BatchRow, row.batch_id)
        if batch is not None:
            claim = AnchorClaim(bytes.fromhex(batch.root[2:]), repository.proof_of(row))
    successors = [row.superseded_by] if row.superseded_by else []
    report = verify_envelope(envelope, claim, chain, successors=successors, as_of=as_of)
    if report.digest and report.digest != row.digest:
        report.add("store", False, f"stored index digest {row.digest} differs from the payload's {report.digest}")
    attestations = report.info.get("attestations")
    if isinstance(attestations, list):  # with the reports this ledger keeps, checked against the recorded hashes
        report.info["attestations"] = described(session, row.id, row.digest, attestations)
    return report


def envelope_digest(document: Any) -> str | VerificationReport:
    """The digest of a signed envelope file, or the report of why it does not open (no chain needed)."""
    try:
        return "0x" + open_envelope(document).digest.hex()
    except LedgerError as exc:
        report = VerificationReport(declaration_id=None, digest=None)
        report.add("envelope", False, f"{type(exc).__name__}: {exc}")
        return report


def verify_signed_file(
    session: Session,
    keyring: Keyring,
    chain: ChainPort,
    envelope: dict[str, Any],
    digest: str,
    *,
    as_of: int | None = None,
) -> VerificationReport:
    """Verify a signed envelope file: as stored here when it was submitted, else as far as it can be checked."""
    stored = verify_stored(session, keyring, chain, digest, as_of=as_of)
    return stored if stored is not None else verify_envelope(envelope, None, chain, as_of=as_of)


def require_verified(
    session: Session, keyring: Keyring, chain: ChainPort, key: str, *, as_of: int | None = None
) -> VerificationReport:
    """Verify stored declaration `key` (id or digest); DeclarationNotFoundError when this ledger has none."""
    report = verify_stored(session, keyring, chain, key, as_of=as_of)
    if report is None:
        raise DeclarationNotFoundError(
            f"no declaration {key!r} in this ledger (ids, digests, envelope or bundle files)"
        )
    return report
