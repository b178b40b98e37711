"""A footprint request as its parties see it (ledger.service.footprint_requests, request_coverage)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ledger.requests.rules import as_utc, is_overdue
from ledger.storage.request_tables import FootprintRequestRow


@dataclass(frozen=True)
class RequestView:
    """A footprint request as its parties see it, with whether it is overdue at the moment it was read."""

    id: str
    requester: str
    receiver: str
    leader: str
    product_id: str
    tier: int
    parent_id: str | None
    deadline: datetime | None
    note: str | None
    status: str
    overdue: bool
    declaration_id: str | None
    declaration_digest: str | None
    reason_code: str | None
    reason_message: str | None
    origin: str
    created_at: datetime
    answered_at: datetime | None

    @classmethod
    def of(cls, row: FootprintRequestRow, now: datetime) -> RequestView:
        """The view of `row` at `now`."""
        deadline = as_utc(row.deadline) if row.deadline is not None else None
        return cls(
            id=row.id,
            requester=row.requester,
            receiver=row.receiver,
            leader=row.leader,
            product_id=row.product_id,
            tier=row.tier,
            parent_id=row.parent_id,
            deadline=deadline,
            note=row.note,
            status=row.status,
            overdue=is_overdue(row.status, deadline, now),
            declaration_id=row.declaration_id,
            declaration_digest=row.declaration_digest,
            reason_code=row.reason_code,
            reason_message=row.reason_message,
            origin=row.origin,
            created_at=as_utc(row.created_at),
            answered_at=as_utc(row.answered_at) if row.answered_at is not None else None,
        )

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (times in ISO 8601)."""
        data = dict(vars(self))
        for name in ("deadline", "created_at", "answered_at"):
            data[name] = data[name].isoformat() if data[name] is not None else None
        return data
