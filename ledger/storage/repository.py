"""Queries over the declaration store (keyword-only functions returning rows)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, func, text
from sqlalchemy import select as sa_select
from sqlmodel import Session, select

from ledger.errors import DeclarationNotFoundError
from ledger.storage.tables import (
    AccessGrantRow,
    BatchRow,
    DeclarationRow,
    OutboxRow,
    ProductOwnerRow,
    SupersessionConsentRow,
)


def get_declaration(*, session: Session, key: str) -> DeclarationRow | None:
    """A declaration by id or by digest (0x...)."""
    if key.startswith("0x") and len(key) == 66:
        return session.exec(select(DeclarationRow).where(DeclarationRow.digest == key.lower())).first()
    return session.get(DeclarationRow, key)


def require_declaration(*, session: Session, key: str) -> DeclarationRow:
    """A declaration by id or digest; DeclarationNotFoundError naming the key when there is none."""
    row = get_declaration(session=session, key=key)
    if row is None:
        raise DeclarationNotFoundError(f"no declaration with id or digest {key!r} in this ledger")
    return row


def nonce_owner(*, session: Session, declarant: str, nonce: str) -> DeclarationRow | None:
    """The declaration that already used `nonce` for `declarant`."""
    query = select(DeclarationRow).where(DeclarationRow.declarant == declarant, DeclarationRow.nonce == nonce)
    return session.exec(query).first()


def successors_of(*, session: Session, declaration_id: str) -> list[DeclarationRow]:
    """Declarations that name `declaration_id` in precedingPfIds (rows whose superseded_by is set point to them)."""
    row = session.get(DeclarationRow, declaration_id)
    if row is None or row.superseded_by is None:
        return []
    successor = session.get(DeclarationRow, row.superseded_by)
    return [successor] if successor else []


@dataclass(frozen=True)
class Queued:
    """A declaration waiting in the outbox (only the columns batching needs)."""

    seq: int
    enqueued_at: datetime
    id: str
    leaf: str
    status: str
    declarant: str
    org_handle: str
    product_id: str


def outbox_head(*, session: Session, limit: int, lock: bool = False) -> list[Queued]:
    """The oldest `limit` queued declarations (locked on PostgreSQL, so two anchorers never share one)."""
    query = (
        sa_select(  # type: ignore[call-overload]
            OutboxRow.seq,
            OutboxRow.enqueued_at,
            DeclarationRow.id,
            DeclarationRow.leaf,
            DeclarationRow.status,
            DeclarationRow.declarant,
            DeclarationRow.org_handle,
            DeclarationRow.product_id,
        )
        .join(DeclarationRow, DeclarationRow.id == OutboxRow.declaration_id)  # type: ignore[arg-type]
        .order_by(OutboxRow.seq)  # type: ignore[arg-type]
        .limit(limit)
    )
    if lock and session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True, of=OutboxRow)  # type: ignore[arg-type]
    return [Queued(*row) for row in session.execute(query).all()]


ANCHORING_LOCK = 0x74616E6A69_616E63  # "tanji" "anc": the advisory lock key of the anchoring pass


@contextmanager
def advisory_lock(*, session: Session, key: int, wait: bool = False) -> Iterator[bool]:
    """Take PostgreSQL's session-level advisory lock `key` for the block (only if free, unless `wait`); yields whether
    it was taken.

    The lock lives on its own autocommit connection (no transaction stays open while it is held) and ends with the
    block, or with the connection if the process dies, so a crashed holder never blocks the others. Other databases
    yield True: SQLite belongs to one process (several server processes need PostgreSQL).
    """
    bind = session.get_bind()
    if bind.dialect.name != "postgresql":
        yield True
        return
    engine: Engine = bind.engine
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        if wait:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
            taken = True
        else:
            taken = bool(connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar())
        try:
            yield taken
        finally:
            if taken:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})


def outbox_size(*, session: Session) -> int:
    """Number of declarations waiting for a batch."""
    return int(session.exec(select(func.count()).select_from(OutboxRow)).one())


def prepared_batches(*, session: Session) -> list[BatchRow]:
    """Batches fixed in the database but not yet seen on chain, oldest first."""
    query = select(BatchRow).where(BatchRow.status == "prepared").order_by(BatchRow.id)  # type: ignore[arg-type]
    return list(session.exec(query).all())


def batch_members(*, session: Session, batch_id: int) -> list[DeclarationRow]:
    """Declarations of one batch."""
    return list(session.exec(select(DeclarationRow).where(DeclarationRow.batch_id == batch_id)).all())


def grants_of(*, session: Session, declaration_id: str) -> set[str]:
    """Organizations granted read access to a declaration."""
    query = select(AccessGrantRow.recipient).where(AccessGrantRow.declaration_id == declaration_id)
    return set(session.exec(query).all())


def status_counts(*, session: Session) -> dict[str, int]:
    """Number of declarations per status."""
    query = select(DeclarationRow.status, func.count()).group_by(DeclarationRow.status)
    return {status: int(count) for status, count in session.exec(query).all()}


def proof_of(row: DeclarationRow) -> list[bytes]:
    """The stored Merkle proof of a declaration."""
    return [bytes.fromhex(item[2:]) for item in json.loads(row.proof or "[]")]


def product_owner(*, session: Session, product_id: str) -> ProductOwnerRow | None:
    """The recorded owner of a product id (the first organization whose declaration of it was anchored)."""
    return session.get(ProductOwnerRow, product_id)


def consents_of_successor(*, session: Session, successor_id: str) -> list[SupersessionConsentRow]:
    """The supersession consents a declaration carried."""
    query = select(SupersessionConsentRow).where(SupersessionConsentRow.successor_id == successor_id)
    return list(session.exec(query).all())


def pending_consents(*, session: Session) -> list[SupersessionConsentRow]:
    """Supersession consents not yet relayed on chain, oldest first."""
    query = (
        select(SupersessionConsentRow)
        .where(SupersessionConsentRow.status == "pending")
        .order_by(SupersessionConsentRow.created_at)  # type: ignore[arg-type]
    )
    return list(session.exec(query).all())
