"""/v1/pact/requests: PACT footprint requests (RequestCreated) awaiting the caller's organization, which accepts
(its matching footprints become visible to the requester, who gets RequestFulfilled) or declines (RequestRejected
AccessDenied). Only an organization the request awaits may answer it; for any other the request does not exist (404).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Body, Path

from api.http.deps import CurrentPrincipal
from api.http.native_views import errors
from api.http.pact_admin_schemas import PendingRequestList, PendingRequestPublic, RequestAnswer, RequestDecline
from api.http.pact_host import PactHostDep
from api.http.routing import new_router
from ledger.service.pact_peers import PendingRequest

router = new_router(prefix="/v1/pact/requests", tags=["PACT administration"])
Seq = Annotated[int, Path(ge=1, le=2**62, description="the request's number")]


def pending_public(request: PendingRequest) -> PendingRequestPublic:
    """A pending request."""
    return PendingRequestPublic(
        seq=request.seq,
        requester=request.requester,
        criteria=request.criteria,
        comment=request.comment,
        created_at=request.created_at,
    )


@router.get("", name="list_pact_requests", responses=errors(), summary="Footprint requests awaiting your answer")
def list_requests(principal: CurrentPrincipal, host: PactHostDep) -> PendingRequestList:
    """Requests for footprints of the caller's organization that it has not shared with the requester yet."""
    awaiting = host.requests.awaiting(principal.org_handle)
    return PendingRequestList(items=[pending_public(PendingRequest.of(row)) for row in awaiting])


@router.post(
    "/{seq}/accept",
    name="accept_pact_request",
    responses=errors(404),
    summary="Share your matching footprints with the requester",
)
def accept_request(seq: Seq, principal: CurrentPrincipal, host: PactHostDep) -> RequestAnswer:
    """The requester may read the matching footprints from now on; RequestFulfilled goes to its endpoint."""
    outcome = host.requests.answer_request(principal.org_handle, seq, accept=True)
    host.wake.set()
    return RequestAnswer(seq=outcome.seq, status=outcome.status)


@router.post(
    "/{seq}/decline",
    name="decline_pact_request",
    responses=errors(404),
    summary="Decline to share your footprints",
)
def decline_request(
    seq: Seq, principal: CurrentPrincipal, host: PactHostDep, body: Annotated[RequestDecline | None, Body()] = None
) -> RequestAnswer:
    """RequestRejected (AccessDenied, with your message) goes to the requester, unless others shared footprints."""
    message = body.message if body is not None else None
    outcome = host.requests.answer_request(principal.org_handle, seq, accept=False, message=message)
    host.wake.set()
    return RequestAnswer(seq=outcome.seq, status=outcome.status)
