"""Queries of the PACT host system (keyword-only functions; the caller commits)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import CursorResult, delete, or_, text, update
from sqlmodel import Session, col, select

from ledger.storage.pact_tables import (
    PactCursorRow,
    PactFulfilmentRow,
    PactOutboundRow,
    PactPeerRow,
    PactPublishedRow,
    PactRequestRow,
)
from ledger.storage.tables import AccessGrantRow, BatchRow, DeclarationRow


def anchored_declarations(
    *, session: Session, reader: str | None, snapshot: datetime | None = None, declaration_id: str | None = None
) -> list[tuple[DeclarationRow, BatchRow]]:
    """Anchored declarations `reader` may see (its own, granted, or fulfilled to it; None: all), oldest first;
    only `declaration_id` when given."""
    query = (
        select(DeclarationRow, BatchRow)
        .join(BatchRow, col(DeclarationRow.batch_id) == col(BatchRow.id))
        .where(col(DeclarationRow.status) == "anchored", col(BatchRow.anchored_at).is_not(None))
    )
    if declaration_id is not None:
        query = query.where(col(DeclarationRow.id) == declaration_id)
    if reader is not None:
        granted = select(AccessGrantRow.declaration_id).where(AccessGrantRow.recipient == reader)
        fulfilled = select(PactFulfilmentRow.declaration_id).where(PactFulfilmentRow.recipient == reader)
        query = query.where(
            or_(
                col(DeclarationRow.org_handle) == reader,
                col(DeclarationRow.id).in_(granted),
                col(DeclarationRow.id).in_(fulfilled),
            )
        )
    if snapshot is not None:
        query = query.where(col(BatchRow.anchored_at) <= snapshot)
    query = query.order_by(col(BatchRow.anchored_at), col(DeclarationRow.id))
    return [(row, batch) for row, batch in session.exec(query).all()]


@dataclass(frozen=True)
class ServedRow:
    """What serving one footprint needs to know of its declaration and batch, and whether a reader may see it."""

    id: str
    digest: str
    leaf: str
    superseded_by: str | None
    batch_id: int
    visible: bool


# One statement, compiled once (the ORM path costs several times more per request: GET /3/footprints/{id} is hot).
_SERVED_ROW = text(
    "SELECT d.id, d.digest, d.leaf, d.superseded_by, d.batch_id, "
    "(d.org_handle = :reader "
    "OR EXISTS (SELECT 1 FROM access_grants g WHERE g.declaration_id = d.id AND g.recipient = :reader) "
    "OR EXISTS (SELECT 1 FROM pact_fulfilments f WHERE f.declaration_id = d.id AND f.recipient = :reader)) AS visible "
    "FROM declarations d JOIN batches b ON b.id = d.batch_id "
    "WHERE d.id = :id AND d.status = 'anchored' AND b.anchored_at IS NOT NULL"
)


def served_row(*, session: Session, declaration_id: str, reader: str) -> ServedRow | None:
    """Anchored declaration `declaration_id` (None when there is none) and whether `reader` may see it (its own,
    granted, or fulfilled to it: the rule of :func:`anchored_declarations`)."""
    found = session.connection().execute(_SERVED_ROW, {"id": declaration_id, "reader": reader}).first()
    if found is None:
        return None
    return ServedRow(found[0], found[1], found[2], found[3], int(found[4]), bool(found[5]))


def anchored_declaration(*, session: Session, declaration_id: str) -> tuple[DeclarationRow, BatchRow] | None:
    """Declaration `declaration_id` with its batch when it is anchored (the rows of :func:`anchored_declarations`
    for that id, read by primary key)."""
    row = session.get(DeclarationRow, declaration_id)
    if row is None or row.status != "anchored" or row.batch_id is None:
        return None
    batch = session.get(BatchRow, row.batch_id)
    return None if batch is None or batch.anchored_at is None else (row, batch)


def add_cursor(
    *,
    session: Session,
    cursor: str,
    org_handle: str,
    query: dict[str, Any],
    snapshot: datetime,
    expires_at: int,
    now: int,
) -> None:
    """Store a pagination cursor and drop the expired ones."""
    session.exec(delete(PactCursorRow).where(col(PactCursorRow.expires_at) < now))  # type: ignore[call-overload]
    session.add(
        PactCursorRow(
            cursor=cursor, org_handle=org_handle, query=json.dumps(query), snapshot=snapshot, expires_at=expires_at
        )
    )


def get_cursor(*, session: Session, cursor: str) -> PactCursorRow | None:
    """A pagination cursor by its id, expired or not."""
    return session.get(PactCursorRow, cursor)


def get_peer(*, session: Session, org_handle: str) -> PactPeerRow | None:
    """The PACT endpoint and credentials registered for `org_handle`."""
    return session.get(PactPeerRow, org_handle)


def find_request(*, session: Session, requester: str, source: str, event_id: str) -> PactRequestRow | None:
    """A request already received (CloudEvents are unique by source and id)."""
    return session.exec(
        select(PactRequestRow).where(
            PactRequestRow.requester == requester, PactRequestRow.source == source, PactRequestRow.event_id == event_id
        )
    ).first()


def requests_awaiting(*, session: Session, owner: str) -> list[PactRequestRow]:
    """Requests waiting for an answer of organization `owner`, oldest first."""
    rows = session.exec(
        select(PactRequestRow).where(PactRequestRow.status == "awaiting-owner").order_by(col(PactRequestRow.seq))
    ).all()
    return [row for row in rows if owner in json.loads(row.owners)]


def add_fulfilments(*, session: Session, declaration_ids: list[str], recipient: str, request_seq: int) -> None:
    """Let `recipient` read `declaration_ids` (a request of its was fulfilled with them)."""
    for declaration_id in declaration_ids:
        if session.get(PactFulfilmentRow, (declaration_id, recipient)) is None:
            session.add(PactFulfilmentRow(declaration_id=declaration_id, recipient=recipient, request_seq=request_seq))


def claim_due(*, session: Session, now: int, limit: int, lease: int = 300) -> list[PactOutboundRow]:
    """Outbound events due by `now`, each claimed by one conditional UPDATE (-> sending, leased `lease` seconds:
    a claim whose process died before answering is due again when its lease runs out)."""
    due = session.exec(
        select(PactOutboundRow)
        .where(col(PactOutboundRow.status).in_(("pending", "sending")), col(PactOutboundRow.next_attempt_at) <= now)
        .order_by(col(PactOutboundRow.seq))
        .limit(limit)
    ).all()
    claimed = []
    for row in due:
        result: CursorResult[Any] = session.exec(  # type: ignore[call-overload]
            update(PactOutboundRow)
            .where(
                col(PactOutboundRow.seq) == row.seq,
                col(PactOutboundRow.status) == row.status,
                col(PactOutboundRow.next_attempt_at) == row.next_attempt_at,
            )
            .values(status="sending", next_attempt_at=now + lease)
        )
        if result.rowcount == 1:
            claimed.append(row)
    session.commit()
    for row in claimed:
        session.refresh(row)
    return claimed


def unpublished(*, session: Session, limit: int) -> list[tuple[str, str]]:
    """(declaration id, recipient) pairs of anchored declarations a recipient with a registered endpoint may see
    (granted or fulfilled) and has not been sent a Published event for."""
    pairs: list[tuple[str, str]] = []
    for table in (AccessGrantRow, PactFulfilmentRow):
        query = (
            select(table.declaration_id, table.recipient)  # type: ignore[attr-defined]
            .join(DeclarationRow, col(DeclarationRow.id) == table.declaration_id)  # type: ignore[attr-defined]
            .join(PactPeerRow, col(PactPeerRow.org_handle) == table.recipient)  # type: ignore[attr-defined]
            .where(col(DeclarationRow.status) == "anchored")
            .where(
                ~select(PactPublishedRow)
                .where(
                    PactPublishedRow.declaration_id == table.declaration_id,  # type: ignore[attr-defined]
                    PactPublishedRow.recipient == table.recipient,  # type: ignore[attr-defined]
                )
                .exists()
            )
            .limit(limit)
        )
        pairs.extend((str(d), str(r)) for d, r in session.exec(query).all())
    return sorted(set(pairs))[:limit]
