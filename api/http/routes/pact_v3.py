"""PACT v3 Action ListFootprints and Action GetFootprint (/3/footprints), for client-credentials data recipients.

Filters follow the spec (ledger.pact.filters); unknown values match nothing (200, empty list), values of the wrong
type (a date that is not a date) are 400. `x-...` parameters are ignored, as the spec allows; the deprecated
OData ``$filter`` of v2 is refused with 400.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import Query, Request
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from api.http.deps import CurrentPrincipal
from api.http.native_views import errors
from api.http.pact_host import PactHostDep
from api.http.pact_schemas import FootprintList, SingleFootprint
from api.http.routing import new_router
from ledger.errors import InvalidInputError
from ledger.pact.filters import FootprintFilter
from ledger.service.pact_exchange import FootprintPage

router = new_router(prefix="/3", tags=["PACT v3"])

Many = Annotated[list[str] | None, Query()]


def link_header(request: Request, path: str, page: FootprintPage) -> dict[str, str]:
    """``Link: <base/path?...>; rel="next"`` on the base URL the client used, when more footprints follow."""
    if page.next_query is None:
        return {}
    base = str(request.base_url).rstrip("/")
    return {"Link": f'<{base}{path}?{urlencode(page.next_query)}>; rel="next"'}


def refuse_odata(request: Request) -> None:
    """400 for the v2 OData ``$filter`` on a v3 route."""
    if "$filter" in request.query_params:
        raise HTTPException(400, "$filter (OData) is not part of PACT v3; filter with productId, companyId, ...")


@router.get("/footprints", name="v3_list_footprints", response_model=FootprintList)
def list_footprints(
    request: Request,
    principal: CurrentPrincipal,
    host: PactHostDep,
    limit: Annotated[int | None, Query(ge=0, le=1_000_000)] = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
    cursor: Annotated[str | None, Query(max_length=64)] = None,
    productId: Many = None,
    companyId: Many = None,
    geography: Many = None,
    classification: Many = None,
    validOn: str | None = None,
    validAfter: str | None = None,
    validBefore: str | None = None,
    status: str | None = None,
) -> JSONResponse:
    """Footprints the caller's organization may see, filtered (OR within a parameter, AND across), paginated."""
    refuse_odata(request)
    try:
        criteria = FootprintFilter.from_mapping(
            {
                "productId": productId,
                "companyId": companyId,
                "geography": geography,
                "classification": classification,
                "validOn": validOn,
                "validAfter": validAfter,
                "validBefore": validBefore,
                "status": status,
            }
        )
        page = host.exchange.list_footprints(principal.org_handle, criteria, limit=limit, offset=offset, cursor=cursor)
    except InvalidInputError as exc:
        raise HTTPException(400, str(exc)) from None
    return JSONResponse({"data": page.footprints}, headers=link_header(request, "/3/footprints", page))


@router.get(
    "/footprints/{footprint_id}",
    name="v3_get_footprint",
    response_model=SingleFootprint,
    responses=errors(403, 404),
)
def get_footprint(footprint_id: str, principal: CurrentPrincipal, host: PactHostDep) -> JSONResponse:
    """One footprint: 404 NotFound when no anchored footprint has that id, 403 when the caller may not see it."""
    return JSONResponse({"data": host.exchange.get_footprint(principal.org_handle, footprint_id)})
