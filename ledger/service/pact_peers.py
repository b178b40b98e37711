"""The operator's side of PACT data recipients (peers) and an owner's view of the requests awaiting it.

A peer is a member organization that receives PACT events from Tanji: its events endpoint (base URL) and the client
credentials its own token endpoint issued to Tanji. Registering one (:func:`add_peer`) checks that the organization
is a member on chain, then stores it with :func:`ledger.service.pact_delivery.register_peer` (the secret encrypted,
never shown again). Listing shows no secret.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from ledger.errors import NotFoundError
from ledger.organizations import org_id
from ledger.service.identity import MemberView
from ledger.service.pact_delivery import register_peer
from ledger.storage.keyring import Keyring
from ledger.storage.pact_tables import PactPeerRow, PactRequestRow


@dataclass(frozen=True)
class PeerInfo:
    """A registered PACT data recipient, without its secret."""

    org_handle: str
    base_url: str
    client_id: str
    created_at: datetime

    @classmethod
    def of(cls, row: PactPeerRow) -> PeerInfo:
        """The public part of a stored peer."""
        return cls(row.org_handle, row.base_url, row.client_id, row.created_at)


@dataclass(frozen=True)
class PendingRequest:
    """A footprint request that awaits the answer of one owner."""

    seq: int
    requester: str
    criteria: dict[str, object]
    comment: str | None
    created_at: datetime

    @classmethod
    def of(cls, row: PactRequestRow) -> PendingRequest:
        """The view of a stored request."""
        assert row.seq is not None
        return cls(row.seq, row.requester, json.loads(row.criteria), row.comment, row.created_at)


def add_peer(
    sessions: Callable[[], Session],
    keyring: Keyring,
    members: MemberView,
    org: str,
    *,
    base_url: str,
    client_id: str,
    client_secret: str,
) -> PeerInfo:
    """Register (or replace) member `org` as a PACT data recipient; NotFoundError when the chain does not know it,
    InvalidPeerError for an endpoint Tanji will not call or missing credentials."""
    org_id(org)
    if members.member(org) is None:
        raise NotFoundError(f"organization {org!r} is not registered on chain; register it first (tanji member add)")
    row = register_peer(sessions, keyring, org, base_url=base_url, client_id=client_id, client_secret=client_secret)
    return PeerInfo.of(row)


def list_peers(sessions: Callable[[], Session]) -> list[PeerInfo]:
    """Every registered PACT data recipient, by organization."""
    with sessions() as session:
        rows = session.exec(select(PactPeerRow).order_by(col(PactPeerRow.org_handle))).all()
        return [PeerInfo.of(row) for row in rows]


def remove_peer(sessions: Callable[[], Session], org: str) -> None:
    """Forget `org`'s endpoint and credentials (events still queued for it fail and are retried, then abandoned);
    NotFoundError when it has none."""
    with sessions() as session:
        row = session.get(PactPeerRow, org)
        if row is None:
            raise NotFoundError(f"organization {org!r} has no registered PACT endpoint; see `tanji pact peer list`")
        session.delete(row)
        session.commit()
