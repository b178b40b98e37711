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
import threading
import time
from collections import OrderedDict
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
from ledger.service.verify import AnchorClaim, VerificationReport, verify_envelope
from ledger.storage import pact_repository as repo
from ledger.storage.keyring import Keyring
from ledger.storage.tables import BatchRow, DeclarationRow, utcnow

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
CURSOR_TTL_SECONDS = 600
STATUS_TTL_SECONDS = 2.0  # a revocation or supersession shows in served statuses within this many seconds


@dataclass(frozen=True)
class FootprintPage:
    """One page of a listing; `next_query` is the pagination link's query when more footprints follow."""

    footprints: list[dict[str, Any]]
    next_query: dict[str, str] | None


class _EnvelopeCache:
    """Decrypted envelopes by (id, digest): a declaration never changes once stored."""

    def __init__(self, size: int = 4096) -> None:
        self._items: OrderedDict[tuple[str, str], dict[str, Any]] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, session: Session, keyring: Keyring, row: DeclarationRow) -> dict[str, Any]:
        key = (row.id, row.digest)
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        envelope = decrypt_envelope(session, keyring, row)
        with self._lock:
            self._items[key] = envelope
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return envelope


def tanji_status(row: DeclarationRow, state: LeafState) -> str:
    """``revoked``, ``superseded`` (on chain or by a signed successor) or ``anchored``."""
    if state.status == DeclarationStatus.REVOKED:
        return "revoked"
    if state.status == DeclarationStatus.SUPERSEDED or row.superseded_by:
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
    ) -> None:
        self.sessions = sessions
        self.keyring = keyring
        self.chain = chain
        self.anchors = anchors
        self.cursor_ttl = cursor_ttl
        self.status_ttl = status_ttl
        self._envelopes = _EnvelopeCache()
        self._lock = threading.Lock()
        self._leaf_states: dict[str, tuple[float, LeafState | None]] = {}

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
        with self.sessions() as session:
            visible = repo.anchored_declarations(session=session, reader=reader, declaration_id=footprint_id)
            if visible:
                return self._render(session, visible)[0]
            if not repo.anchored_declarations(session=session, reader=None, declaration_id=footprint_id):
                raise FootprintNotFoundError(f"Footprint with ID '{footprint_id}' does not exist")
        raise AccessDeniedError(
            f"organization {reader!r} may not read footprint {footprint_id}; its declarant can grant access, or "
            "request it with a RequestCreated event to /3/events"
        )

    def matching_all(self, criteria: FootprintFilter) -> list[tuple[DeclarationRow, dict[str, Any]]]:
        """Every anchored declaration matching `criteria`, whoever may see it: (row, payload) (for requests)."""
        with self.sessions() as session:
            rows = self._matching(session, None, criteria, None)
            return [(row, self._envelopes.get(session, self.keyring, row)["payload"]) for row, _ in rows]

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
            if criteria.matches(self._envelopes.get(session, self.keyring, row)["payload"], statuses.get(row.id))
        ]

    def _states(self, rows: list[DeclarationRow]) -> list[LeafState]:
        """On-chain states of `rows`' leaves: read in one call, and reused for `status_ttl` seconds."""
        now = time.monotonic()
        with self._lock:
            missing = sorted(
                {row.leaf for row in rows if now - self._leaf_states.get(row.leaf, (-1e9, None))[0] > self.status_ttl}
            )
        if missing:
            states = self.chain.leaf_states([bytes.fromhex(leaf[2:]) for leaf in missing])
            with self._lock:
                self._leaf_states.update({leaf: (now, state) for leaf, state in zip(missing, states, strict=True)})
        with self._lock:
            found = [self._leaf_states[row.leaf][1] for row in rows]
        return [state for state in found if state is not None]

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
            anchor = {
                "root": batch.root,
                "proof": json.loads(row.proof or "[]"),
                "leaf": row.leaf,
                "block": batch.block_number,
                "txHash": batch.tx_hash,
            }
            served.append(
                attach_proof(
                    self._envelopes.get(session, self.keyring, row),
                    declaration_id=row.id,
                    anchor=anchor,
                    chain=self.anchors.as_dict(),
                    status=status,
                    pact_status="Active" if status == "anchored" else "Deprecated",
                )
            )
        return served


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
