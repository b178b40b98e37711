"""Ingest: open and check each envelope, check membership, store encrypted and enqueue, in one transaction.

CPU-heavy checks (schema, canonical digest, signature recovery) run in worker processes for large submissions;
storing is sequential, one database transaction per chunk, each declaration's row and outbox entry together.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from ledger.canonical import canonical_bytes, hex32
from ledger.confidentiality import encrypt, payload_context
from ledger.declarations.envelope import SignedDeclaration, open_envelope
from ledger.errors import IngestError, LedgerError
from ledger.merkle import declaration_leaf
from ledger.service.membership import MembershipCache
from ledger.signing import SigningDomain
from ledger.storage import repository
from ledger.storage.keyring import Keyring
from ledger.storage.tables import DeclarationRow, OutboxRow

PARALLEL_THRESHOLD = 256


@dataclass(frozen=True)
class IngestResult:
    """What happened to one submitted envelope."""

    status: str  # pending | unverified | anchored | rejected (plus duplicate=True for a resubmission)
    id: str | None = None
    digest: str | None = None
    duplicate: bool = False
    error: str | None = None
    warnings: tuple[str, ...] = field(default=())


def _open(raw: str | bytes) -> SignedDeclaration | str:
    try:
        return open_envelope(raw)
    except LedgerError as exc:
        return f"{type(exc).__name__}: {exc}"


class IngestService:
    """Accepts signed envelopes into the store."""

    def __init__(
        self,
        sessions: Callable[[], Session],
        *,
        domain: SigningDomain,
        membership: MembershipCache,
        keyring: Keyring,
        workers: int | None = None,
    ) -> None:
        self.sessions = sessions
        self.domain = domain
        self.membership = membership
        self.keyring = keyring
        self.workers = workers if workers is not None else (os.cpu_count() or 1)

    def submit(self, raw: str | bytes) -> IngestResult:
        """Ingest one envelope."""
        return self.submit_many([raw])[0]

    def submit_many(self, raws: Sequence[str | bytes], *, chunk: int = 500) -> list[IngestResult]:
        """Ingest many envelopes; one result per envelope, in order."""
        if len(raws) >= PARALLEL_THRESHOLD and self.workers > 1:
            with ProcessPoolExecutor(max_workers=self.workers) as pool:
                opened = list(pool.map(_open, raws, chunksize=64))
        else:
            opened = [_open(raw) for raw in raws]
        results: list[IngestResult] = []
        for start in range(0, len(opened), chunk):
            results.extend(self._store_chunk(opened[start : start + chunk]))
        return results

    def _store_chunk(self, items: list[SignedDeclaration | str]) -> list[IngestResult]:
        with self.sessions() as session:
            try:
                results = [self._store_one(session, item) for item in items]
                session.commit()
                return results
            except IntegrityError:
                session.rollback()
        # a concurrent writer stored one of these first: redo them one transaction each
        results = []
        for item in items:
            with self.sessions() as session:
                try:
                    results.append(self._store_one(session, item))
                    session.commit()
                except IntegrityError as exc:
                    session.rollback()
                    results.append(IngestResult("rejected", error=f"conflicting concurrent submission: {exc.orig}"))
        return results

    def _store_one(self, session: Session, item: SignedDeclaration | str) -> IngestResult:
        if isinstance(item, str):
            return IngestResult("rejected", error=item)
        digest = hex32(item.digest)
        existing = repository.get_declaration(session=session, key=digest)
        if existing is not None:
            return IngestResult(existing.status, existing.id, digest, duplicate=True)
        try:
            status, warnings = self._admit(session, item)
        except IngestError as exc:
            return IngestResult("rejected", item.id, digest, error=str(exc))
        org = item.extension.declarant_org
        version, key = self.keyring.current(session, org)
        message = {**item.message.as_dict(), "nonce": str(item.message.nonce)}
        plaintext = canonical_bytes(
            {
                "payload": item.payload,
                "salts": item.salts,
                "signature": "0x" + item.signature.hex(),
                "eip712": {"domain": item.domain.as_dict(), "message": message},
            }
        )
        cipher_nonce, ciphertext = encrypt(key, plaintext, context=payload_context(item.id, digest))
        session.add(
            DeclarationRow(
                id=item.id,
                digest=digest,
                leaf=hex32(declaration_leaf(item.digest, item.message.declarant)),
                declarant=item.message.declarant,
                org_handle=org,
                product_id=item.product_id,
                version=item.message.version,
                preceding_ids=json.dumps(list(item.preceding_ids)),
                nonce=str(item.message.nonce),
                signature="0x" + item.signature.hex(),
                chain_id=item.domain.chain_id,
                verifying_contract=item.domain.verifying_contract,
                valid_from=item.message.valid_from,
                valid_until=item.message.valid_until,
                status=status,
                size=len(plaintext),
                warnings=json.dumps(warnings),
                key_version=version,
                cipher_nonce=cipher_nonce,
                ciphertext=ciphertext,
            )
        )
        session.flush()
        session.add(OutboxRow(declaration_id=item.id))
        session.flush()
        return IngestResult(status, item.id, digest, warnings=tuple(warnings))

    def _admit(self, session: Session, item: SignedDeclaration) -> tuple[str, list[str]]:
        """Refuse what cannot be stored; return (status, warnings)."""
        domain = item.domain
        if (domain.chain_id, domain.verifying_contract.lower()) != (
            self.domain.chain_id,
            self.domain.verifying_contract.lower(),
        ):
            raise IngestError(
                f"signed for chain {domain.chain_id} / contract {domain.verifying_contract}, but this ledger is chain "
                f"{self.domain.chain_id} / contract {self.domain.verifying_contract}; re-sign for this ledger"
            )
        same_id = session.get(DeclarationRow, item.id)
        if same_id is not None:
            raise IngestError(
                f"id {item.id} is already declared with digest {same_id.digest}; a changed footprint "
                "needs a new id that lists the old one in precedingPfIds"
            )
        used = repository.nonce_owner(session=session, declarant=item.message.declarant, nonce=str(item.message.nonce))
        if used is not None:
            raise IngestError(
                f"nonce {item.message.nonce} of {item.message.declarant} was already used by declaration "
                f"{used.id}; sign again (a fresh nonce is chosen automatically)"
            )
        warnings = [str(w) for w in item.warnings]
        for predecessor_id in item.preceding_ids:
            warnings += self._supersede(session, item, predecessor_id)
        verified = self.membership.check(item.message.declarant, item.extension.declarant_org)
        return ("pending" if verified else "unverified"), warnings

    def _supersede(self, session: Session, item: SignedDeclaration, predecessor_id: str) -> list[str]:
        predecessor = session.get(DeclarationRow, predecessor_id)
        if predecessor is None:
            return [f"/precedingPfIds: {predecessor_id} is not in this ledger; recorded as a reference only"]
        if predecessor.org_handle != item.extension.declarant_org:
            raise IngestError(
                f"precedingPfIds names {predecessor_id} of organization {predecessor.org_handle!r}; "
                "only the declaring organization can supersede its declarations"
            )
        if predecessor.superseded_by not in (None, item.id):
            raise IngestError(
                f"{predecessor_id} is already superseded by {predecessor.superseded_by}; "
                "list the newest version in precedingPfIds"
            )
        predecessor.superseded_by = item.id
        session.add(predecessor)
        return []


def decrypt_envelope(session: Session, keyring: Keyring, row: DeclarationRow) -> dict[str, Any]:
    """The stored envelope of `row` (payload, salts, signature, eip712), decrypted and authenticated."""
    from ledger.canonical import loads_exact
    from ledger.confidentiality import decrypt

    key = keyring.get(session, row.org_handle, row.key_version)
    plaintext = decrypt(key, row.cipher_nonce, row.ciphertext, context=payload_context(row.id, row.digest))
    envelope: dict[str, Any] = loads_exact(plaintext)
    return {"type": "tanji.signed-declaration/1", "digest": row.digest, **envelope}
