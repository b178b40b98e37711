"""Tables of footprint requests by tier (migration 0008_footprint_requests).

A request goes from `requester` to `receiver` for one product. The chain leader's requests are tier 1; a supplier
forwarding one it received makes a tier-2 request (tier 3 ...) linked to it by `parent_id`, and every request of
the tree carries the chain leader as `leader`. PACT RequestCreated events (ledger.service.pact_requests) are
mirrored here with origin ``pact`` and `pact_seq`, one row per requested product, so coverage sees them too.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from ledger.storage.tables import utcnow


class FootprintRequestRow(SQLModel, table=True):
    """One footprint request and its answer (a fulfilling declaration, or a rejection with a reason)."""

    __tablename__ = "footprint_requests"
    __table_args__ = (UniqueConstraint("pact_seq", "product_id", name="uq_footprint_requests_pact_product"),)

    id: str = Field(primary_key=True, max_length=64)
    requester: str = Field(index=True, max_length=128)
    receiver: str = Field(index=True, max_length=128)
    leader: str = Field(index=True, max_length=128)  # the chain leader at the root of the request tree
    product_id: str = Field(index=True, max_length=512)
    tier: int
    parent_id: str | None = Field(default=None, foreign_key="footprint_requests.id", index=True, max_length=64)
    deadline: datetime | None = None
    note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    status: str = Field(index=True, max_length=16)  # open | fulfilled | rejected
    # sha256 of requester, receiver and product while open, NULL once answered: one open request per triple
    open_key: str | None = Field(default=None, unique=True, max_length=64)
    declaration_id: str | None = Field(default=None, foreign_key="declarations.id", max_length=64)
    declaration_digest: str | None = Field(default=None, max_length=66)
    reason_code: str | None = Field(default=None, max_length=32)
    reason_message: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    origin: str = Field(default="tanji", max_length=8)  # tanji | pact
    pact_seq: int | None = Field(default=None, foreign_key="pact_requests.seq")
    created_at: datetime = Field(default_factory=utcnow)
    answered_at: datetime | None = None
