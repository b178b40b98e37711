"""Queries of footprint requests by tier (keyword-only functions; the caller commits)."""

from __future__ import annotations

import hashlib

from sqlmodel import Session, col, or_, select

from ledger.storage.pact_tables import PactRequestRow
from ledger.storage.request_tables import FootprintRequestRow


def open_key(requester: str, receiver: str, product_id: str) -> str:
    """The key that keeps one open request per requester, receiver and product."""
    return hashlib.sha256("\x1f".join((requester, receiver, product_id)).encode("utf-8")).hexdigest()


def get_request(*, session: Session, request_id: str) -> FootprintRequestRow | None:
    """A request by its id."""
    return session.get(FootprintRequestRow, request_id)


def find_open(*, session: Session, requester: str, receiver: str, product_id: str) -> FootprintRequestRow | None:
    """The open request of `requester` to `receiver` for `product_id`, if any."""
    key = open_key(requester, receiver, product_id)
    return session.exec(select(FootprintRequestRow).where(FootprintRequestRow.open_key == key)).first()


def requests_of(
    *, session: Session, org: str, box: str, status: str | None = None, product_id: str | None = None
) -> list[FootprintRequestRow]:
    """Requests `org` received (`box` inbox) or sent (outbox), oldest first; only `status` / `product_id` if given."""
    party = FootprintRequestRow.receiver if box == "inbox" else FootprintRequestRow.requester
    query = select(FootprintRequestRow).where(party == org)
    if status is not None:
        query = query.where(FootprintRequestRow.status == status)
    if product_id is not None:
        query = query.where(FootprintRequestRow.product_id == product_id)
    return list(session.exec(query.order_by(col(FootprintRequestRow.created_at), col(FootprintRequestRow.id))).all())


def tree_of(*, session: Session, leader: str) -> list[FootprintRequestRow]:
    """Every request of `leader`'s trees (its own and those forwarded below them), by tier then age."""
    query = select(FootprintRequestRow).where(
        or_(FootprintRequestRow.leader == leader, FootprintRequestRow.requester == leader)
    )
    rows = session.exec(query.order_by(col(FootprintRequestRow.tier), col(FootprintRequestRow.created_at))).all()
    return list(rows)


def fulfilled_for(*, session: Session, declaration_id: str, requester: str) -> bool:
    """Was a request of `requester` fulfilled with declaration `declaration_id`?"""
    query = select(FootprintRequestRow.id).where(
        FootprintRequestRow.declaration_id == declaration_id,
        FootprintRequestRow.requester == requester,
        FootprintRequestRow.status == "fulfilled",
    )
    return session.exec(query).first() is not None


def mirrored_pact(*, session: Session, pact_seq: int) -> list[FootprintRequestRow]:
    """The rows mirroring PACT request `pact_seq`."""
    return list(session.exec(select(FootprintRequestRow).where(FootprintRequestRow.pact_seq == pact_seq)).all())


def pact_requests_to_sync(*, session: Session) -> list[PactRequestRow]:
    """PACT requests not mirrored yet, or mirrored while they were still awaiting an answer."""
    mirrored_open = select(FootprintRequestRow.pact_seq).where(
        col(FootprintRequestRow.pact_seq).is_not(None), FootprintRequestRow.status == "open"
    )
    mirrored = select(FootprintRequestRow.pact_seq).where(col(FootprintRequestRow.pact_seq).is_not(None))
    query = select(PactRequestRow).where(
        or_(col(PactRequestRow.seq).not_in(mirrored), col(PactRequestRow.seq).in_(mirrored_open))
    )
    return list(session.exec(query.order_by(col(PactRequestRow.seq))).all())
