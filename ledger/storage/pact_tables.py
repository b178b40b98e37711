"""Tables of the PACT host system (migration 0005_pact_requests): peers, requests, fulfilments, outbound events,
pagination cursors."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from ledger.storage.tables import utcnow


class PactPeerRow(SQLModel, table=True):
    """A data recipient's PACT endpoint: where its events go and the client credentials Tanji signs in with there.

    The secret is kept encrypted with the recipient organization's data key (Tanji must send it in clear)."""

    __tablename__ = "pact_peers"

    org_handle: str = Field(primary_key=True, max_length=128)
    base_url: str = Field(max_length=512)
    client_id: str = Field(max_length=256)
    key_version: int
    secret_nonce: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    secret_ciphertext: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class PactRequestRow(SQLModel, table=True):
    """A RequestCreated event received from `requester`, and how it was answered."""

    __tablename__ = "pact_requests"
    __table_args__ = (UniqueConstraint("requester", "source", "event_id", name="uq_pact_requests_event"),)

    seq: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(max_length=256)
    source: str = Field(max_length=512)
    requester: str = Field(index=True, max_length=128)
    spec: int  # 2 or 3: the PACT major version the requester speaks (callbacks go to {source}/{spec}/events)
    criteria: str = Field(sa_column=Column(Text, nullable=False))
    comment: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    owners: str = "[]"  # organizations declaring the requested products (JSON list)
    status: str = Field(index=True, max_length=16)  # awaiting-owner | fulfilled | rejected
    answer_code: str | None = Field(default=None, max_length=32)
    answer_message: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    footprint_ids: str = "[]"
    created_at: datetime = Field(default_factory=utcnow)
    answered_at: datetime | None = None


class PactFulfilmentRow(SQLModel, table=True):
    """`recipient` may read declaration `declaration_id`: a request of its was fulfilled with it."""

    __tablename__ = "pact_fulfilments"

    declaration_id: str = Field(foreign_key="declarations.id", primary_key=True, max_length=64)
    recipient: str = Field(primary_key=True, max_length=128)
    request_seq: int = Field(foreign_key="pact_requests.seq")
    created_at: datetime = Field(default_factory=utcnow)


class PactOutboundRow(SQLModel, table=True):
    """A CloudEvent to POST to a recipient's events endpoint (RequestFulfilled, RequestRejected, Published)."""

    __tablename__ = "pact_outbound"

    seq: int | None = Field(default=None, primary_key=True)
    recipient: str = Field(index=True, max_length=128)
    url: str = Field(max_length=600)
    token_url: str = Field(max_length=600)
    event: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(index=True, max_length=16)  # pending | sending | sent | abandoned
    attempts: int = 0
    next_attempt_at: int = Field(sa_column=Column(BigInteger, nullable=False, index=True))
    last_error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime = Field(default_factory=utcnow)
    sent_at: datetime | None = None


class PactPublishedRow(SQLModel, table=True):
    """A Published event for declaration `declaration_id` was queued for `recipient` (sent once)."""

    __tablename__ = "pact_published"

    declaration_id: str = Field(foreign_key="declarations.id", primary_key=True, max_length=64)
    recipient: str = Field(primary_key=True, max_length=128)
    outbound_seq: int | None = None


class PactCursorRow(SQLModel, table=True):
    """A pagination link's state: the organization, filters and snapshot time of the first page."""

    __tablename__ = "pact_cursors"

    cursor: str = Field(primary_key=True, max_length=64)
    org_handle: str = Field(max_length=128)
    query: str = Field(sa_column=Column(Text, nullable=False))
    snapshot: datetime
    expires_at: int = Field(sa_column=Column(BigInteger, nullable=False, index=True))
