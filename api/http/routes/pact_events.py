"""PACT Action Events (/3/events and /2/events): RequestCreated, RequestFulfilled, RequestRejected, Published.

An accepted event is answered 200 with an empty body; a malformed one 400 naming the problem. RequestCreated is
answered asynchronously (ledger.service.pact_requests); the delivery thread is woken so the callback leaves at
once. The router's lifespan runs that thread.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import Body, Response
from starlette.exceptions import HTTPException

from api.http.deps import CurrentPrincipal
from api.http.pact_host import PactHostDep, pact_lifespan
from api.http.pact_schemas import CLOUDEVENT_BODY
from api.http.routing import new_router
from ledger.errors import InvalidInputError
from ledger.service.pact_event_parse import parse_event

log = logging.getLogger("tanji.pact")
router = new_router(tags=["PACT events"])
router.lifespan_context = pact_lifespan

CloudEvent = Body(media_type="application/cloudevents+json")


def accept_event(body: Any, spec: int, organization: str, host: Any) -> Response:
    """Check and act on one event; 200 with an empty body."""
    try:
        event = parse_event(body, spec=spec)
        if event.kind == "request-created":
            outcome = host.requests.receive(event, organization)
            log.info("footprint request %s from %s: %s", outcome.seq, organization, outcome.status)
            host.wake.set()
        else:
            log.info("PACT v%s %s event %s from %s accepted", spec, event.kind, event.id, organization)
    except InvalidInputError as exc:
        raise HTTPException(400, str(exc)) from None
    return Response(status_code=200)


@router.post("/3/events", name="v3_events", status_code=200, response_class=Response, openapi_extra=CLOUDEVENT_BODY)
def events_v3(principal: CurrentPrincipal, host: PactHostDep, body: Any = CloudEvent) -> Response:
    """Action Events, PACT v3."""
    return accept_event(body, 3, principal.org_handle, host)


@router.post("/2/events", name="v2_events", status_code=200, response_class=Response, openapi_extra=CLOUDEVENT_BODY)
def events_v2(principal: CurrentPrincipal, host: PactHostDep, body: Any = CloudEvent) -> Response:
    """Action Events, PACT v2 (the same handling, v2 event types and v2 footprints in callbacks)."""
    return accept_event(body, 2, principal.org_handle, host)
