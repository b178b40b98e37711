"""PACT footprints as a host system serves them: visible to a principal, filtered, paginated, with proof.

Visibility: an organization sees the anchored declarations it declared, those it was granted, and those a request
of its was fulfilled with; never others. Every footprint carries the Tanji proof extension
(ledger.declarations.proof_extension), so a client verifies it on chain without trusting this server
(:func:`verify_served_footprint`). Status: ``Deprecated`` once revoked or superseded (on chain or by a signed
successor), else ``Active``.

Pagination: the first page of a listing fixes a snapshot (declarations anchored until then) in a cursor row valid
`cursor_ttl` seconds; pagination links carry the cursor and an offset, so pages never shift while new
declarations are anchored, and a link can be called more than once.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from ledger.chain_port import ChainPort, LeafState, TrustAnchors
from ledger.codes import DeclarationStatus
from ledger.declarations.proof_extension import attach_proof, signed_envelope
from ledger.errors import (
    AccessDeniedError,
    DeclarationError,
    FootprintNotFoundError,
    PaginationLinkError,
)
from ledger.pact.filters import FootprintFilter
from ledger.service.ingest import decrypt_envelope
from ledger.service.pact_caches import LeafStateCache, LruCache, no_writes
from ledger.service.verify import AnchorClaim, VerificationReport, verify_envelope
from ledger.storage import pact_repository as repo
from ledger.storage.keyring import Keyring
from ledger.storage.tables import BatchRow, DeclarationRow, utcnow

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
CURSOR_TTL_SECONDS = 600
STATUS_TTL_SECONDS = 2.0  # a revocation mined through another server shows in served statuses within this bound
CACHE_SIZE = 4096


@dataclass(frozen=True)
class FootprintPage:
    """One page of a listing; `next_query` is the pagination link's query when more footprints follow."""

    footprints: list[dict[str, Any]]
    next_query: dict[str, str] | None


def tanji_status(row: DeclarationRow, state: LeafState) -> str:
    """``revoked``, ``superseded`` (on chain or by a signed successor) or ``anchored``."""
    return status_of(row.superseded_by, state)


def status_of(superseded_by: str | None, state: LeafState) -> str:
    """``revoked``, ``superseded`` (on chain, or `superseded_by` a signed successor) or ``anchored``."""
    if state.status == DeclarationStatus.REVOKED:
        return "revoked"
    if state.status == DeclarationStatus.SUPERSEDED or superseded_by:
        return "superseded"
    return "anchored"


class PactExchange:
    """The footprints of this ledger as PACT data recipients see them."""

    def __init__(
        self,
        sessions: Callable[[], Session],
        keyring: Keyring,
        chain: ChainPort,
        anchors: TrustAnchors,
        *,
        cursor_ttl: int = CURSOR_TTL_SECONDS,
        status_ttl: float = STATUS_TTL_SECONDS,
        chain_writes: Callable[[], int] = no_writes,
    ) -> None:
        self.sessions = sessions
        self.keyring = keyring
        self.chain = chain
        self.anchors = anchors
        self.cursor_ttl = cursor_ttl
        self._envelopes: LruCache[tuple[str, str], dict[str, Any]] = LruCache(CACHE_SIZE)
        self._served: LruCache[tuple[str, str, str, str], dict[str, Any]] = LruCache(CACHE_SIZE)
        self._leaf_states = LeafStateCache(chain.leaf_states, ttl=status_ttl, writes=chain_writes)

    def list_footprints(
        self, reader: str, criteria: FootprintFilter, *, limit: int | None, offset: int = 0, cursor: str | None = None
    ) -> FootprintPage:
        """A page of the footprints `reader` may see that match `criteria`."""
        page_size = DEFAULT_LIMIT if limit is None else min(limit, MAX_LIMIT)
        if offset < 0:
            raise PaginationLinkError(f"offset {offset} is negative; follow the Link header's next URL")
        with self.sessions() as session:
            if cursor is not None:
                stored = repo.get_cursor(session=session, cursor=cursor)
                if stored is None or stored.expires_at < time.time() or stored.org_handle != reader:
                    raise PaginationLinkError(
                        "this pagination link is unknown or expired (links live "
                        f"{self.cursor_ttl} s); list the footprints again from the first page"
                    )
                criteria, snapshot = FootprintFilter.from_mapping(json.loads(stored.query)), stored.snapshot
            else:
                snapshot = utcnow()
            matched = self._matching(session, reader, criteria, snapshot)
            chosen = matched[offset : offset + page_size]
            footprints = self._render(session, chosen)
            more = offset + page_size < len(matched)
            if not more:
                return FootprintPage(footprints, None)
            if cursor is None:
                cursor = secrets.token_urlsafe(24)
                now = int(time.time())
                repo.add_cursor(
                    session=session,
                    cursor=cursor,
                    org_handle=reader,
                    query=criteria.as_query(),
                    snapshot=snapshot,
                    expires_at=now + self.cursor_ttl,
                    now=now,
                )
                session.commit()
            next_query = {"cursor": cursor, "offset": str(offset + page_size), "limit": str(page_size or DEFAULT_LIMIT)}
            return FootprintPage(footprints, next_query)

    def get_footprint(self, reader: str, footprint_id: str) -> dict[str, Any]:
        """The footprint `footprint_id`: FootprintNotFoundError when no anchored declaration has that id,
        AccessDeniedError when `reader` may not see it (the spec's 403)."""
        with self.sessions() as session:  # closed before any chain read: a waiting request holds no connection
            found = repo.served_row(session=session, declaration_id=footprint_id, reader=reader)
        if found is None:
            raise FootprintNotFoundError(f"Footprint with ID '{footprint_id}' does not exist")
        if found.visible:
            state = self._leaf_states.states([found.leaf])[found.leaf]
            served = self._served.get(
                (found.id, found.digest, str(found.batch_id), status_of(found.superseded_by, state))
            )
            if served is not None:
                return served
            with self.sessions() as session:
                rows = repo.anchored_declaration(session=session, declaration_id=footprint_id)
                if rows is not None:
                    return self._render(session, [rows])[0]
        raise AccessDeniedError(
            f"organization {reader!r} may not read footprint {footprint_id}; its declarant can grant access, or "
            "request it with a RequestCreated event to /3/events"
        )

    def matching_all(self, criteria: FootprintFilter) -> list[tuple[DeclarationRow, dict[str, Any]]]:
        """Every anchored declaration matching `criteria`, whoever may see it: (row, payload) (for requests)."""
        with self.sessions() as session:
            rows = self._matching(session, None, criteria, None)
            return [(row, self._envelope(session, row)["payload"]) for row, _ in rows]

    def visible_ids(self, reader: str, declaration_ids: list[str]) -> list[str]:
        """Those of `declaration_ids` that `reader` may see."""
        wanted = set(declaration_ids)
        with self.sessions() as session:
            rows = repo.anchored_declarations(session=session, reader=reader)
        return [row.id for row, _ in rows if row.id in wanted]

    def render(self, declaration_ids: list[str]) -> list[dict[str, Any]]:
        """The served footprints of `declaration_ids` (anchored), in that order."""
        with self.sessions() as session:
            rows = []
            for declaration_id in declaration_ids:
                row = session.get(DeclarationRow, declaration_id)
                batch = session.get(BatchRow, row.batch_id) if row and row.batch_id else None
                if row is not None and batch is not None:
                    rows.append((row, batch))
            return self._render(session, rows)

    def _matching(
        self, session: Session, reader: str | None, criteria: FootprintFilter, snapshot: Any
    ) -> list[tuple[DeclarationRow, BatchRow]]:
        candidates = repo.anchored_declarations(session=session, reader=reader, snapshot=snapshot)
        statuses = self.pact_statuses([row for row, _ in candidates]) if criteria.needs_status else {}
        return [
            (row, batch)
            for row, batch in candidates
            if criteria.matches(self._envelope(session, row)["payload"], statuses.get(row.id))
        ]

    def _envelope(self, session: Session, row: DeclarationRow) -> dict[str, Any]:
        """The decrypted envelope of `row` (a stored declaration never changes: cached by id and digest)."""
        return self._envelopes.get((row.id, row.digest)) or self._envelopes.put(
            (row.id, row.digest), decrypt_envelope(session, self.keyring, row)
        )

    def _states(self, rows: list[DeclarationRow]) -> list[LeafState]:
        """On-chain states of `rows`' leaves, read in one call for those not read recently (pact_caches)."""
        states = self._leaf_states.states(row.leaf for row in rows)
        return [states[row.leaf] for row in rows]

    def pact_statuses(self, rows: list[DeclarationRow]) -> dict[str, str]:
        """PACT status (Active or Deprecated) of each row, by id, read from the chain in one call."""
        return {
            row.id: "Active" if tanji_status(row, state) == "anchored" else "Deprecated"
            for row, state in zip(rows, self._states(rows), strict=True)
        }

    def _render(self, session: Session, rows: list[tuple[DeclarationRow, BatchRow]]) -> list[dict[str, Any]]:
        states = self._states([row for row, _ in rows])
        served = []
        for (row, batch), state in zip(rows, states, strict=True):
            status = tanji_status(row, state)
            key = (row.id, row.digest, str(batch.id), status)
            footprint = self._served.get(key)
            if footprint is None:
                footprint = self._served.put(key, self._served_footprint(session, row, batch, status))
            served.append(footprint)
        return served

    def _served_footprint(self, session: Session, row: DeclarationRow, batch: BatchRow, status: str) -> dict[str, Any]:
        """The footprint as served (shared between requests: callers must not change it)."""
        anchor = {
            "root": batch.root,
            "proof": json.loads(row.proof or "[]"),
            "leaf": row.leaf,
            "block": batch.block_number,
            "txHash": batch.tx_hash,
        }
        return attach_proof(
            self._envelope(session, row),
            declaration_id=row.id,
            anchor=anchor,
            chain=self.anchors.as_dict(),
            status=status,
            pact_status="Active" if status == "anchored" else "Deprecated",
        )


def verify_served_footprint(footprint: dict[str, Any], chain: ChainPort) -> VerificationReport:
    """Verify a footprint served over PACT against `chain` (the verifier's trusted deployment), using nothing but
    the footprint: signature, digest, Merkle proof to an anchored root, declarant key and on-chain status."""
    try:
        envelope = signed_envelope(footprint)
        anchor = footprint["extensions"][-1]["data"]["anchor"]
        claim = AnchorClaim(bytes.fromhex(anchor["root"][2:]), [bytes.fromhex(p[2:]) for p in anchor["proof"]])
    except (DeclarationError, KeyError, TypeError, ValueError) as exc:
        report = VerificationReport(declaration_id=str(footprint.get("id")), digest=None)
        report.add("proof-extension", False, f"no usable Tanji proof extension: {exc}")
        return report
    return verify_envelope(envelope, claim, chain)
