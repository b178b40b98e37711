"""Footprint requests from PACT data recipients (RequestCreated) and their answers, sent asynchronously.

A RequestCreated event is refused at once (400) when the requester has no registered PACT endpoint or names
another callback ``source`` than the one registered (Tanji never POSTs to an address an event merely names).
Otherwise it is stored and answered:

- no anchored, current footprint matches the criteria: RequestRejected ``NotFound``;
- every matching footprint is already visible to the requester (its own, granted, or fulfilled before):
  RequestFulfilled with them, at once;
- some belong to organizations that have not shared them: the request awaits those owners
  (:func:`answer_request`); an owner that accepts makes its footprints visible to the requester (a fulfilment)
  and the RequestFulfilled goes out; one that declines leaves RequestRejected ``AccessDenied`` (or the visible
  part, when there is one).

Answers are queued as outbound events (ledger.service.pact_delivery) and POSTed to exactly
``{source}/{2|3}/events`` with a token from ``{source}/auth/token``, echoing the request's event id.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session

from ledger.errors import MalformedEventError, UnknownRequestError
from ledger.pact.filters import FootprintFilter
from ledger.pact.v2 import v3_to_v2
from ledger.service.pact_delivery import enqueue_event, mark_published, normalized_base
from ledger.service.pact_event_parse import PactEvent
from ledger.service.pact_exchange import PactExchange
from ledger.storage import pact_repository as repo
from ledger.storage.pact_tables import PactRequestRow
from ledger.storage.tables import utcnow

FULFILLED_TYPES = {
    3: "org.wbcsd.pact.ProductFootprint.RequestFulfilledEvent.3",
    2: "org.wbcsd.pathfinder.ProductFootprintRequest.Fulfilled.v1",
}
REJECTED_TYPES = {
    3: "org.wbcsd.pact.ProductFootprint.RequestRejectedEvent.3",
    2: "org.wbcsd.pathfinder.ProductFootprintRequest.Rejected.v1",
}


@dataclass(frozen=True)
class RequestOutcome:
    """What became of a RequestCreated event: its number and status (duplicate: it was received before)."""

    seq: int
    status: str
    duplicate: bool = False


class FootprintRequests:
    """Receives RequestCreated events and answers them through the outbound queue."""

    def __init__(self, sessions: Callable[[], Session], exchange: PactExchange, *, public_url: str) -> None:
        self.sessions = sessions
        self.exchange = exchange
        self.public_url = public_url.rstrip("/")

    def receive(self, event: PactEvent, requester: str) -> RequestOutcome:
        """Store a RequestCreated event of `requester` and answer what can be answered now."""
        criteria = event.criteria()
        with self.sessions() as session:
            peer = repo.get_peer(session=session, org_handle=requester)
            if peer is None:
                raise MalformedEventError(
                    f"organization {requester!r} has no PACT endpoint registered for callbacks; ask the operator "
                    "to register its events endpoint and the client credentials Tanji should sign in with there "
                    "(ledger.service.pact_delivery.register_peer)"
                )
            if normalized_base(event.source) != normalized_base(peer.base_url):
                raise MalformedEventError(
                    f"source {event.source!r} is not the endpoint registered for {requester!r} ({peer.base_url}); "
                    "answers go only to the registered endpoint"
                )
            known = repo.find_request(session=session, requester=requester, source=event.source, event_id=event.id)
            if known is not None:
                assert known.seq is not None
                return RequestOutcome(known.seq, known.status, duplicate=True)
        matches = self.exchange.matching_all(criteria)
        if not criteria.statuses:  # by default only current footprints answer a request
            current = self.exchange.pact_statuses([row for row, _ in matches])
            matches = [(row, payload) for row, payload in matches if current[row.id] == "Active"]
        visible = set(self.exchange.visible_ids(requester, [row.id for row, _ in matches]))
        hidden_owners = sorted({row.org_handle for row, _ in matches if row.id not in visible})
        with self.sessions() as session:
            request = PactRequestRow(
                event_id=event.id,
                source=event.source,
                requester=requester,
                spec=event.spec,
                criteria=json.dumps(criteria.as_query()),
                comment=event.data.get("comment") if isinstance(event.data.get("comment"), str) else None,
                owners=json.dumps(hidden_owners),
                status="awaiting-owner",
            )
            session.add(request)
            session.flush()
            if not matches:
                self._reject(session, request, "NotFound", "The requested footprint could not be found.")
            elif not hidden_owners:
                self._fulfil(session, request, [row.id for row, _ in matches])
            session.commit()
            assert request.seq is not None
            return RequestOutcome(request.seq, request.status)

    def awaiting(self, owner: str) -> list[PactRequestRow]:
        """Requests waiting for `owner`'s answer."""
        with self.sessions() as session:
            return repo.requests_awaiting(session=session, owner=owner)

    def answer_request(self, owner: str, seq: int, *, accept: bool, message: str | None = None) -> RequestOutcome:
        """`owner` shares its matching footprints with the requester (`accept`) or declines."""
        with self.sessions() as session:
            request = session.get(PactRequestRow, seq)
            if request is None or request.status != "awaiting-owner" or owner not in json.loads(request.owners):
                raise UnknownRequestError(f"no footprint request {seq} awaits an answer of {owner!r}")
            criteria = json.loads(request.criteria)
        matches = [row for row, _ in self.exchange.matching_all(FootprintFilter.from_mapping(criteria))]
        visible = set(self.exchange.visible_ids(request.requester, [row.id for row in matches]))
        shared = [row.id for row in matches if row.id in visible or (accept and row.org_handle == owner)]
        with self.sessions() as session:
            request = session.get(PactRequestRow, seq)
            assert request is not None
            if shared:
                self._fulfil(session, request, shared)
            else:
                self._reject(session, request, "AccessDenied", message or f"{owner} declined to share the footprint")
            session.commit()
            return RequestOutcome(seq, request.status)

    def _fulfil(self, session: Session, request: PactRequestRow, declaration_ids: list[str]) -> None:
        assert request.seq is not None
        repo.add_fulfilments(
            session=session, declaration_ids=declaration_ids, recipient=request.requester, request_seq=request.seq
        )
        mark_published(session, declaration_ids, request.requester)
        footprints = self.exchange.render(declaration_ids)
        pfs = [v3_to_v2(pf) for pf in footprints] if request.spec == 2 else footprints
        self._answer(session, request, "fulfilled", FULFILLED_TYPES[request.spec], {"pfs": pfs})
        request.footprint_ids = json.dumps(declaration_ids)

    def _reject(self, session: Session, request: PactRequestRow, code: str, message: str) -> None:
        request.answer_code, request.answer_message = code, message
        self._answer(
            session, request, "rejected", REJECTED_TYPES[request.spec], {"error": {"code": code, "message": message}}
        )

    def _answer(
        self, session: Session, request: PactRequestRow, status: str, event_type: str, data: dict[str, Any]
    ) -> None:
        event = {
            "type": event_type,
            "specversion": "1.0",
            "id": str(uuid.uuid4()),
            "source": f"{self.public_url}/{request.spec}/events",
            "time": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
            "data": {"requestEventId": request.event_id, **data},
        }
        base = request.source.rstrip("/")
        enqueue_event(session, request.requester, f"{base}/{request.spec}/events", f"{base}/auth/token", event)
        request.status, request.answered_at = status, utcnow()
        session.add(request)
