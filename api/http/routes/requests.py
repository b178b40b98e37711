"""/v1/requests: footprint requests by tier. A chain leader requests declarations from a tier-1 supplier; the
receiver forwards a request one tier down, fulfils it with its anchored declaration (the requester may then read
it) or rejects it with a reason; each organization lists its inbox and outbox; the chain leader reads its coverage.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Path, Query
from pydantic import AwareDatetime, Field

from api.http.deps import CurrentPrincipal, RuntimeDep
from api.http.native_schemas import HANDLE, StrictModel
from api.http.native_views import errors
from api.http.routing import new_router
from api.http.schemas import CamelModel
from ledger.requests.rules import MAX_PRODUCTS, MAX_TEXT, REJECTION_CODES
from ledger.service import footprint_requests as requests
from ledger.service.factor_sets import load_factor_set
from ledger.service.request_coverage import coverage
from ledger.service.request_views import RequestView

router = new_router(prefix="/v1/requests", tags=["requests"])
RequestId = Annotated[str, Path(min_length=1, max_length=64, description="the request id")]
ProductId = Annotated[str, Field(min_length=1, max_length=512)]
Products = Annotated[list[ProductId], Field(min_length=1, max_length=MAX_PRODUCTS)]
Text = Annotated[str, Field(max_length=MAX_TEXT)]
RejectionCode = Literal[REJECTION_CODES]  # type: ignore[valid-type]


class RequestCreate(StrictModel):
    """Declarations of `products` wanted from supplier `to` by `deadline`."""

    to: str = Field(min_length=1, max_length=128, pattern=HANDLE)
    products: Products
    deadline: AwareDatetime
    note: Text | None = None


class RequestForward(StrictModel):
    """Forward a received request to supplier `to`; products and deadline default to the request's."""

    to: str = Field(min_length=1, max_length=128, pattern=HANDLE)
    products: Products | None = None
    deadline: AwareDatetime | None = None
    note: Text | None = None


class RequestFulfilment(StrictModel):
    """The receiver's current, anchored declaration of the requested product (id or digest)."""

    declaration: str = Field(min_length=1, max_length=128)


class RequestRejection(StrictModel):
    """Why the receiver declines (a PACT error code and a message)."""

    code: RejectionCode
    message: Text = Field(min_length=1)


class RequestPublic(CamelModel):
    """A footprint request as its parties see it."""

    id: str
    requester: str
    receiver: str
    leader: str
    product_id: str
    tier: int
    parent_id: str | None
    deadline: str | None
    note: str | None
    status: Literal["open", "fulfilled", "rejected"]
    overdue: bool
    declaration_id: str | None
    declaration_digest: str | None
    reason_code: str | None
    reason_message: str | None
    origin: Literal["tanji", "pact"]
    created_at: str
    answered_at: str | None


class RequestList(CamelModel):
    """Requests, oldest first."""

    items: list[RequestPublic]


class RejectionPublic(CamelModel):
    """A rejected request and its reason."""

    request: str
    receiver: str
    product: str
    code: str
    message: str


class TallyPublic(CamelModel):
    """Requests of one tier or product by outcome."""

    requested: int
    fulfilled: int
    rejected: int
    open: int
    overdue: int
    rejections: list[RejectionPublic]


class MissingPublic(CamelModel):
    """A bill-of-materials input with neither a declaration nor a request."""

    consumer: str
    input: str
    tier: int


class GapPublic(CamelModel):
    """An input nothing covers in the roll-up."""

    consumer: str
    input: str


class ProgressPublic(CamelModel):
    """Shares of the product's rolled-up footprint (gross kgCO2e per declared unit) by kind of data."""

    product: str
    total: float
    own_share: float
    supplier_specific_share: float
    secondary_share: float
    attested_share: float
    by_tier: dict[str, float]
    gaps: list[GapPublic]


class ProductCoveragePublic(CamelModel):
    """One product of the chain leader."""

    product: str
    missing: list[MissingPublic]
    progress: ProgressPublic | None
    problem: str | None


class CoveragePublic(CamelModel):
    """The chain leader's coverage by tier and by product, with each product's assembly progress."""

    leader: str
    now: str
    by_tier: dict[str, TallyPublic]
    by_product: dict[str, TallyPublic]
    requests: list[RequestPublic]
    products: list[ProductCoveragePublic]


def request_public(view: RequestView) -> RequestPublic:
    """A request."""
    return RequestPublic.model_validate(view.as_dict())


@router.post(
    "",
    name="create_requests",
    status_code=201,
    responses=errors(403, 409, 422),
    summary="Request declarations from a tier-1 supplier (chain leaders)",
)
def create(body: RequestCreate, principal: CurrentPrincipal, runtime: RuntimeDep) -> RequestList:
    """One request per product; 409 when an open request for the same product and supplier exists."""
    with runtime.sessions() as session:
        made = requests.create_requests(
            session,
            runtime.chain,
            by=principal.org_handle,
            to=body.to,
            products=body.products,
            deadline=body.deadline,
            note=body.note,
        )
    return RequestList(items=[request_public(view) for view in made])


@router.post(
    "/{request_id}/forwards",
    name="forward_request",
    status_code=201,
    responses=errors(403, 404, 409, 422),
    summary="Forward a request you received to your own supplier (one tier down)",
)
def forward(
    request_id: RequestId, body: RequestForward, principal: CurrentPrincipal, runtime: RuntimeDep
) -> RequestList:
    """Only the organization the request was sent to may forward it."""
    with runtime.sessions() as session:
        made = requests.forward_request(
            session,
            runtime.chain,
            request_id,
            by=principal.org_handle,
            to=body.to,
            products=body.products,
            deadline=body.deadline,
            note=body.note,
        )
    return RequestList(items=[request_public(view) for view in made])


@router.post(
    "/{request_id}/fulfilment",
    name="fulfil_request",
    responses=errors(403, 404, 409, 422),
    summary="Fulfil a request with your current, anchored declaration of the product",
)
def fulfil(
    request_id: RequestId, body: RequestFulfilment, principal: CurrentPrincipal, runtime: RuntimeDep
) -> RequestPublic:
    """The requester is granted read access to the declaration."""
    with runtime.sessions() as session:
        done = requests.fulfil_request(
            session, runtime.chain, request_id, by=principal.org_handle, declaration=body.declaration
        )
    return request_public(done)


@router.post(
    "/{request_id}/rejection",
    name="reject_request",
    responses=errors(403, 404, 409, 422),
    summary="Reject a request with a reason",
)
def reject(
    request_id: RequestId, body: RequestRejection, principal: CurrentPrincipal, runtime: RuntimeDep
) -> RequestPublic:
    """Only the organization the request was sent to may reject it."""
    with runtime.sessions() as session:
        done = requests.reject_request(
            session, request_id, by=principal.org_handle, code=body.code, message=body.message
        )
    return request_public(done)


@router.get("", name="list_requests", responses=errors(422), summary="Requests you received or sent")
def list_requests(
    principal: CurrentPrincipal,
    runtime: RuntimeDep,
    box: Annotated[Literal["inbox", "outbox"], Query()] = "inbox",
    status: Annotated[Literal["open", "fulfilled", "rejected"] | None, Query()] = None,
) -> RequestList:
    """Oldest first, each with whether it is overdue now."""
    with runtime.sessions() as session:
        found = requests.list_requests(session, principal.org_handle, box=box, status=status)
    return RequestList(items=[request_public(view) for view in found])


@router.get(
    "/coverage",
    name="request_coverage",
    responses=errors(403, 404, 422),
    summary="Coverage by tier and by product, with assembly progress (chain leaders)",
)
def request_coverage(
    principal: CurrentPrincipal,
    runtime: RuntimeDep,
    product: Annotated[str | None, Query(min_length=1, max_length=512, description="one of your products")] = None,
    factors: Annotated[str | None, Query(max_length=64, description="name of a factor set the server holds")] = None,
) -> CoveragePublic:
    """Requested, fulfilled, rejected (with reasons), open, overdue and missing inputs; the shares of each
    product's footprint backed by supplier-specific and by attested data."""
    secondary = load_factor_set(runtime.settings.home / "factors", factors) if factors is not None else []
    with runtime.sessions() as session:
        found = coverage(
            session, runtime.store.keyring, runtime.chain, principal.org_handle, product=product, factors=secondary
        )
    return CoveragePublic.model_validate(found.as_dict())
