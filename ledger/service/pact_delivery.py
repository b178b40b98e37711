"""Outbound PACT events: recipients' endpoints and credentials, the outbound queue, Published notifications.

Delivery is at least once, retried with exponential backoff (1 s doubling, at most an hour apart) and abandoned
after 72 hours, as the spec advises. A worker claims a due event with one conditional UPDATE, so several server
processes never send the same event twice at once. The HTTP calls go through an :class:`EventTransport`, which
the api package implements (the service layer does no networking itself).
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol
from urllib.parse import urlsplit

from sqlmodel import Session

from ledger.confidentiality import decrypt, encrypt
from ledger.errors import DeliveryError, InvalidPeerError
from ledger.storage import pact_repository as repo
from ledger.storage.keyring import Keyring
from ledger.storage.pact_tables import PactOutboundRow, PactPeerRow, PactPublishedRow
from ledger.storage.tables import utcnow

PUBLISHED_TYPE = "org.wbcsd.pact.ProductFootprint.PublishedEvent.3"
GIVE_UP_AFTER = timedelta(hours=72)
MAX_BACKOFF_SECONDS = 3600
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")


class EventTransport(Protocol):
    """The HTTP client side of PACT: obtain a token, POST an event."""

    def fetch_token(self, token_url: str, client_id: str, client_secret: str) -> str:
        """An access token from `token_url` (OAuth2 client credentials, HTTP Basic); DeliveryError if refused."""
        ...

    def post_event(self, url: str, token: str, event: dict[str, Any]) -> None:
        """POST `event` as application/cloudevents+json with the bearer `token`; DeliveryError unless 2xx."""
        ...


def normalized_base(url: str) -> str:
    """``scheme://host[:port]/path`` lower-cased in scheme and host, without a trailing slash."""
    parts = urlsplit(url.strip())
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{parts.path.rstrip('/')}"


def check_endpoint(url: str) -> str:
    """A recipient base URL Tanji may call: https (plain http only on loopback), no query, fragment or user info."""
    parts = urlsplit(url.strip())
    loopback = (parts.hostname or "") in LOOPBACK_HOSTS
    if parts.scheme != "https" and not (parts.scheme == "http" and loopback):
        raise InvalidPeerError(f"endpoint {url!r} must be an https URL (plain http only on loopback, for tests)")
    if not parts.hostname or parts.query or parts.fragment or parts.username or parts.password:
        raise InvalidPeerError(f"endpoint {url!r} must be scheme://host[:port][/path], without query or credentials")
    return normalized_base(url)


def _context(org: str) -> bytes:
    return b"tanji.pact-peer|" + org.encode()


def register_peer(
    sessions: Callable[[], Session], keyring: Keyring, org: str, *, base_url: str, client_id: str, client_secret: str
) -> PactPeerRow:
    """Register (or replace) `org`'s PACT endpoint and the client credentials Tanji signs in with there."""
    base = check_endpoint(base_url)
    if not client_id or not client_secret:
        raise InvalidPeerError("give the client id and secret the recipient issued to Tanji")
    with sessions() as session:
        version, key = keyring.current(session, org)
        nonce, ciphertext = encrypt(key, client_secret.encode(), context=_context(org))
        row = session.get(PactPeerRow, org) or PactPeerRow(
            org_handle=org,
            base_url=base,
            client_id=client_id,
            key_version=version,
            secret_nonce=b"",
            secret_ciphertext=b"",
        )
        row.base_url, row.client_id, row.key_version = base, client_id, version
        row.secret_nonce, row.secret_ciphertext = nonce, ciphertext
        session.add(row)
        session.commit()
        session.refresh(row)
        return row


def enqueue_event(session: Session, recipient: str, url: str, token_url: str, event: dict[str, Any]) -> PactOutboundRow:
    """Queue `event` for `recipient` (the caller commits)."""
    row = PactOutboundRow(
        recipient=recipient,
        url=url,
        token_url=token_url,
        event=json.dumps(event),
        status="pending",
        next_attempt_at=int(time.time()),
    )
    session.add(row)
    return row


def mark_published(session: Session, declaration_ids: list[str], recipient: str) -> None:
    """Record that `recipient` needs no Published event for `declaration_ids` (it got them another way)."""
    for declaration_id in declaration_ids:
        if session.get(PactPublishedRow, (declaration_id, recipient)) is None:
            session.add(PactPublishedRow(declaration_id=declaration_id, recipient=recipient))


@dataclass(frozen=True)
class DeliveryReport:
    """One pass of the delivery worker."""

    published_queued: int
    sent: int
    failed: int


class PactDelivery:
    """Queues Published events and sends due outbound events through a transport."""

    def __init__(
        self, sessions: Callable[[], Session], keyring: Keyring, transport: EventTransport, *, public_url: str
    ) -> None:
        self.sessions = sessions
        self.keyring = keyring
        self.transport = transport
        self.public_url = public_url.rstrip("/")

    def run_once(self, *, batch: int = 50) -> DeliveryReport:
        """Queue Published events for newly visible anchored footprints, then send what is due."""
        queued = self.queue_published(limit=batch)
        sent = failed = 0
        with self.sessions() as session:
            due = repo.claim_due(session=session, now=int(time.time()), limit=batch)
        for row in due:
            if self._send(row):
                sent += 1
            else:
                failed += 1
        return DeliveryReport(queued, sent, failed)

    def queue_published(self, *, limit: int) -> int:
        """A Published event per (anchored declaration, recipient with an endpoint that may see it) not yet told."""
        with self.sessions() as session:
            pairs = repo.unpublished(session=session, limit=limit)
            for declaration_id, recipient in pairs:
                peer = repo.get_peer(session=session, org_handle=recipient)
                assert peer is not None
                event = {
                    "type": PUBLISHED_TYPE,
                    "specversion": "1.0",
                    "id": str(uuid.uuid4()),
                    "source": f"{self.public_url}/3/events",
                    "time": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
                    "data": {"pfIds": [declaration_id]},
                }
                row = enqueue_event(
                    session, recipient, f"{peer.base_url}/3/events", f"{peer.base_url}/auth/token", event
                )
                session.flush()
                session.add(PactPublishedRow(declaration_id=declaration_id, recipient=recipient, outbound_seq=row.seq))
            session.commit()
            return len(pairs)

    def _credentials(self, session: Session, recipient: str) -> tuple[str, str]:
        peer = repo.get_peer(session=session, org_handle=recipient)
        if peer is None:
            raise DeliveryError(f"organization {recipient!r} has no registered PACT endpoint any more")
        key = self.keyring.get(session, recipient, peer.key_version)
        secret = decrypt(key, peer.secret_nonce, peer.secret_ciphertext, context=_context(recipient)).decode()
        return peer.client_id, secret

    def _send(self, row: PactOutboundRow) -> bool:
        with self.sessions() as session:
            try:
                client_id, secret = self._credentials(session, row.recipient)
                token = self.transport.fetch_token(row.token_url, client_id, secret)
                self.transport.post_event(row.url, token, json.loads(row.event))
            except DeliveryError as exc:
                self._retry(session, row, str(exc))
                return False
            stored = session.get(PactOutboundRow, row.seq)
            assert stored is not None
            stored.status, stored.sent_at, stored.attempts = "sent", utcnow(), stored.attempts + 1
            session.add(stored)
            session.commit()
            return True

    def _retry(self, session: Session, row: PactOutboundRow, error: str) -> None:
        stored = session.get(PactOutboundRow, row.seq)
        assert stored is not None
        stored.attempts += 1
        stored.last_error = error[:2000]
        created = stored.created_at if stored.created_at.tzinfo else stored.created_at.replace(tzinfo=UTC)
        if utcnow() - created > GIVE_UP_AFTER:
            stored.status = "abandoned"
        else:
            stored.status = "pending"
            stored.next_attempt_at = int(time.time()) + min(2 ** (stored.attempts - 1), MAX_BACKOFF_SECONDS)
        session.add(stored)
        session.commit()
