"""Ingest: open and check each envelope, check membership, store encrypted and enqueue, in one transaction.

Every admission check (domain, id, nonce, product ownership, predecessors, supersession consents, membership) runs
before anything is written for an envelope: a rejected envelope leaves no trace, not even on its predecessors.

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

from sqlalchemy import Table, insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from ledger.confidentiality import PayloadCipher, payload_context
from ledger.errors import (
    AlreadySupersededError,
    ConflictError,
    DuplicateDeclarationIdError,
    InvalidInputError,
    NonceReusedError,
    NotAllowedError,
    NotDeclarantError,
    SupersessionConsentError,
    WrongSigningDomainError,
)
from ledger.service.envelope_check import Opened, open_all
from ledger.service.membership_cache import MembershipCache
from ledger.service.ownership import require_may_declare
from ledger.signing import SigningDomain
from ledger.storage.keyring import Keyring
from ledger.storage.tables import DeclarationRow, OutboxRow, SupersessionConsentRow, utcnow

PARALLEL_THRESHOLD = 256
_DECLARATIONS: Table = DeclarationRow.__table__  # type: ignore[attr-defined]
_OUTBOX: Table = OutboxRow.__table__  # type: ignore[attr-defined]
# why a submission is refused: its own content, the ledger's state, or the declarant's rights
ADMISSION_ERRORS = (InvalidInputError, ConflictError, NotAllowedError)


@dataclass(frozen=True)
class IngestResult:
    """What happened to one submitted envelope."""

    status: str  # pending | unverified | anchored | rejected (plus duplicate=True for a resubmission)
    id: str | None = None
    digest: str | None = None
    duplicate: bool = False
    error: str | None = None
    warnings: tuple[str, ...] = field(default=())


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

    def submit_many(
        self,
        raws: Sequence[str | bytes],
        *,
        chunk: int = 250,
        on_progress: Callable[[int], None] | None = None,
    ) -> list[IngestResult]:
        """Ingest many envelopes; one result per envelope, in order (`on_progress(n)` after each stored chunk).

        Large submissions are pipelined: worker processes open chunk k+1.. while this process stores chunk k.
        """
        chunks = [list(raws[start : start + chunk]) for start in range(0, len(raws), chunk)]
        results: list[IngestResult] = []
        if len(raws) >= PARALLEL_THRESHOLD and self.workers > 1:
            with ProcessPoolExecutor(max_workers=self.workers) as pool:
                for opened in pool.map(open_all, chunks):
                    results.extend(self._store_chunk(opened))
                    if on_progress:
                        on_progress(len(opened))
            return results
        for raw_chunk in chunks:
            results.extend(self._store_chunk(open_all(raw_chunk)))
            if on_progress:
                on_progress(len(raw_chunk))
        return results

    def _store_chunk(self, items: list[Opened | str]) -> list[IngestResult]:
        with self.sessions() as session:
            try:
                results = self._store(session, items)
                session.commit()
                return results
            except IntegrityError:
                session.rollback()
                self.keyring.forget()
        # a concurrent writer stored one of these first: redo them one transaction each
        results = []
        for item in items:
            with self.sessions() as session:
                try:
                    results.extend(self._store(session, [item]))
                    session.commit()
                except IntegrityError as exc:
                    session.rollback()
                    self.keyring.forget()
                    results.append(IngestResult("rejected", error=f"conflicting concurrent submission: {exc.orig}"))
        return results

    def _store(self, session: Session, items: list[Opened | str]) -> list[IngestResult]:
        """Admit and insert a chunk in the caller's transaction: 4 lookups and 2 bulk inserts per chunk."""
        known = _Known.load(session, [item for item in items if not isinstance(item, str)])
        results, rows = [], []
        consents: list[dict[str, Any]] = []
        ciphers: dict[tuple[str, int], PayloadCipher] = {}  # one AES-GCM set-up per data key and chunk
        for item in items:
            if isinstance(item, str):
                results.append(IngestResult("rejected", error=item))
                continue
            digest = item.digest
            existing = known.by_digest.get(digest)
            if existing is not None:
                results.append(IngestResult(existing[1], existing[0], digest, duplicate=True))
                continue
            try:
                status, warnings, predecessors = self._admit(session, item, known)
            except ADMISSION_ERRORS as exc:
                results.append(IngestResult("rejected", item.id, digest, error=f"{type(exc).__name__}: {exc}"))
                continue
            rows.append(self._row(session, item, status, warnings, ciphers))
            consents.extend(
                {"successor_id": item.id, "predecessor_digest": predecessor, "signature": signature}
                for predecessor, signature in item.supersessions
            )
            if status == "pending":  # a hint for this ledger; the chain decides (supersedeWithConsent)
                for predecessor_row in predecessors:
                    predecessor_row.superseded_by = item.id
                    session.add(predecessor_row)
            known.remember(item, digest, status)
            results.append(IngestResult(status, item.id, digest, warnings=tuple(warnings)))
        if rows:
            # Core inserts (the ORM's bulk path only adds per-row bookkeeping); flush first, as it did, so pending
            # supersession updates still precede them
            session.flush()
            session.execute(insert(_DECLARATIONS), rows)
            session.execute(insert(_OUTBOX), [{"declaration_id": row["id"], "enqueued_at": utcnow()} for row in rows])
        if consents:
            now = utcnow()
            pending = [{**consent, "status": "pending", "created_at": now} for consent in consents]
            session.execute(insert(SupersessionConsentRow), pending)
        return results

    def _row(
        self,
        session: Session,
        item: Opened,
        status: str,
        warnings: list[str],
        ciphers: dict[tuple[str, int], PayloadCipher],
    ) -> dict[str, Any]:
        version, key = self.keyring.current(session, item.org)
        cipher = ciphers.get((item.org, version))
        if cipher is None:
            cipher = ciphers[(item.org, version)] = PayloadCipher(key)
        cipher_nonce, ciphertext = cipher.encrypt(item.plaintext, context=payload_context(item.id, item.digest))
        return {
            "id": item.id,
            "digest": item.digest,
            "leaf": item.leaf,
            "declarant": item.declarant,
            "org_handle": item.org,
            "product_id": item.product_id,
            "version": item.version,
            "preceding_ids": _json_list(item.preceding_ids),
            "nonce": item.nonce,
            "signature": item.signature,
            "chain_id": item.chain_id,
            "verifying_contract": item.contract,
            "valid_from": item.valid_from,
            "valid_until": item.valid_until,
            "status": status,
            "reason": None,
            "superseded_by": None,
            "created_at": utcnow(),
            "batch_id": None,
            "proof": None,
            "size": len(item.plaintext),
            "warnings": _json_list(warnings),
            "key_version": version,
            "cipher_nonce": cipher_nonce,
            "ciphertext": ciphertext,
        }

    def _admit(self, session: Session, item: Opened, known: _Known) -> tuple[str, list[str], list[DeclarationRow]]:
        """Refuse what cannot be stored; return (status, warnings, stored predecessors). Writes nothing."""
        if (item.chain_id, item.contract.lower()) != (self.domain.chain_id, self.domain.verifying_contract.lower()):
            raise WrongSigningDomainError(
                f"signed for chain {item.chain_id} / contract {item.contract}, but this ledger is chain "
                f"{self.domain.chain_id} / contract {self.domain.verifying_contract}; re-sign for this ledger"
            )
        same_id = known.by_id.get(item.id)
        if same_id is not None:
            raise DuplicateDeclarationIdError(
                f"id {item.id} is already declared with digest {same_id}; a changed footprint "
                "needs a new id that lists the old one in precedingPfIds"
            )
        used = known.nonces.get((item.declarant, item.nonce))
        if used is not None:
            raise NonceReusedError(
                f"nonce {item.nonce} of {item.declarant} was already used by declaration "
                f"{used}; sign again (a fresh nonce is chosen automatically)"
            )
        require_may_declare(session, item.product_id, item.org)
        warnings = list(item.warnings)
        predecessors: list[DeclarationRow] = []
        for predecessor_id in item.preceding_ids:
            predecessor = self._predecessor(session, item, predecessor_id)
            if predecessor is None:
                warnings.append(f"/precedingPfIds: {predecessor_id} is not in this ledger; recorded as a reference")
            else:
                predecessors.append(predecessor)
        earlier_in_chunk = {known.by_id[pid] for pid in item.preceding_ids if pid in known.by_id}
        warnings += _check_consents(item, predecessors, earlier_in_chunk)
        verified = self.membership.check(item.declarant, item.org)
        return ("pending" if verified else "unverified"), warnings, predecessors

    def _predecessor(self, session: Session, item: Opened, predecessor_id: str) -> DeclarationRow | None:
        """The stored predecessor `item` may supersede (None: not in this ledger); refuses what it may not."""
        predecessor = session.get(DeclarationRow, predecessor_id)
        if predecessor is None:
            return None
        if predecessor.org_handle != item.org:
            raise NotDeclarantError(
                f"precedingPfIds names {predecessor_id} of organization {predecessor.org_handle!r}; "
                "only the declaring organization can supersede its declarations"
            )
        if predecessor.superseded_by not in (None, item.id):
            raise AlreadySupersededError(
                f"{predecessor_id} is already superseded by {predecessor.superseded_by}; "
                "list the newest version in precedingPfIds"
            )
        return predecessor


def _check_consents(item: Opened, predecessors: list[DeclarationRow], earlier_in_chunk: set[str]) -> list[str]:
    """Each supersession consent must name a predecessor listed in precedingPfIds and stored (or submitted earlier in
    the same call; the contract re-checks its organization when the consent is relayed); warn for those without."""
    listed = {row.digest for row in predecessors} | earlier_in_chunk
    for predecessor, _signature in item.supersessions:
        if predecessor not in listed:
            raise SupersessionConsentError(
                f"the envelope consents to supersede {predecessor}, which is not a declaration of this ledger "
                "listed in precedingPfIds; list it there (by id) or drop the consent"
            )
    consented = {predecessor for predecessor, _ in item.supersessions}
    return [
        f"/precedingPfIds: no supersession consent for {row.id} in the envelope: it stays current on chain until "
        f"`tanji declare supersede {row.id} --by {item.id}` is run by its organization"
        for row in predecessors
        if row.digest not in consented
    ]


def _json_list(values: Sequence[str]) -> str:
    """json.dumps(list(values)); most declarations have none, and "[]" needs no encoder."""
    return json.dumps(list(values)) if values else "[]"


class _Known:
    """What the store already holds for one chunk (fetched with one query per key), plus the chunk so far."""

    def __init__(self) -> None:
        self.by_digest: dict[str, tuple[str, str]] = {}
        self.by_id: dict[str, str] = {}
        self.nonces: dict[tuple[str, str], str] = {}

    @classmethod
    def load(cls, session: Session, items: list[Opened]) -> _Known:
        known = cls()
        if not items:
            return known
        table = DeclarationRow
        digests = [item.digest for item in items]
        for row_id, digest, status in session.exec(
            select(table.id, table.digest, table.status).where(col(table.digest).in_(digests))
        ).all():
            known.by_digest[digest] = (row_id, status)
        for row_id, digest in session.exec(
            select(table.id, table.digest).where(col(table.id).in_([item.id for item in items]))
        ).all():
            known.by_id[row_id] = digest
        declarants = list({item.declarant for item in items})
        nonces = list({item.nonce for item in items})
        for row_id, declarant, nonce in session.exec(
            select(table.id, table.declarant, table.nonce).where(
                col(table.declarant).in_(declarants), col(table.nonce).in_(nonces)
            )
        ).all():
            known.nonces[(declarant, nonce)] = row_id
        return known

    def remember(self, item: Opened, digest: str, status: str) -> None:
        self.by_digest[digest] = (item.id, status)
        self.by_id[item.id] = digest
        self.nonces[(item.declarant, item.nonce)] = item.id


def decrypt_envelope(session: Session, keyring: Keyring, row: DeclarationRow) -> dict[str, Any]:
    """The stored envelope of `row` (payload, salts, signature, eip712), decrypted and authenticated."""
    from ledger.canonical import loads_exact
    from ledger.confidentiality import decrypt

    key = keyring.get(session, row.org_handle, row.key_version)
    plaintext = decrypt(key, row.cipher_nonce, row.ciphertext, context=payload_context(row.id, row.digest))
    envelope: dict[str, Any] = loads_exact(plaintext)
    return {"type": "tanji.signed-declaration/1", "digest": row.digest, **envelope}
