"""PACT v2 Action ListFootprints and Action GetFootprint (/2/footprints), through the v3 -> v2 adapter.

Tanji declarations are PACT v3; v2 data recipients get them converted (ledger.pact.v2.v3_to_v2), proof extension
included. A footprint whose declared unit v2 cannot express is left out of v2 listings. v2 calls an unknown
footprint ``NoSuchFootprint`` (404).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from api.http.deps import CurrentPrincipal
from api.http.pact_host import PactHostDep
from api.http.pact_schemas import FootprintList, SingleFootprint, V2Error
from api.http.routes.pact_v3 import link_header
from api.http.routing import new_router
from ledger.errors import DeclarationError, FootprintNotFoundError, InvalidInputError
from ledger.pact.filters import FootprintFilter
from ledger.pact.odata import parse_filter
from ledger.pact.v2 import v3_to_v2
from ledger.service.pact_exchange import FootprintPage

router = new_router(prefix="/2", tags=["PACT v2"])


def as_v2(footprints: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The footprints v2 can express, converted."""
    converted = []
    for footprint in footprints:
        try:
            converted.append(v3_to_v2(footprint))
        except DeclarationError:
            continue
    return converted


@router.get("/footprints", name="v2_list_footprints", response_model=FootprintList)
def list_footprints(
    request: Request,
    principal: CurrentPrincipal,
    host: PactHostDep,
    limit: Annotated[int | None, Query(ge=0, le=1_000_000)] = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
    cursor: Annotated[str | None, Query(max_length=64)] = None,
    odata_filter: Annotated[str | None, Query(alias="$filter", max_length=2000)] = None,
) -> JSONResponse:
    """Footprints the caller may see, as PACT v2, optionally filtered with OData ``$filter``, paginated."""
    try:
        keep = parse_filter(odata_filter or "")
        page = host.exchange.list_footprints(
            principal.org_handle, FootprintFilter(), limit=limit, offset=offset, cursor=cursor
        )
    except InvalidInputError as exc:
        raise HTTPException(400, str(exc)) from None
    data = [footprint for footprint in as_v2(page.footprints) if keep(footprint)]
    next_query = page.next_query
    if next_query is not None and odata_filter:
        next_query = {**next_query, "$filter": odata_filter}
    return JSONResponse({"data": data}, headers=link_header(request, "/2/footprints", FootprintPage([], next_query)))


@router.get(
    "/footprints/{footprint_id}",
    name="v2_get_footprint",
    response_model=SingleFootprint,
    responses={
        403: {"model": V2Error, "description": "AccessDenied"},
        404: {"model": V2Error, "description": "NoSuchFootprint"},
    },
)
def get_footprint(footprint_id: str, principal: CurrentPrincipal, host: PactHostDep) -> Any:
    """One footprint as PACT v2; 404 NoSuchFootprint when unknown."""
    try:
        footprint = host.exchange.get_footprint(principal.org_handle, footprint_id)
    except FootprintNotFoundError as exc:
        return JSONResponse({"code": "NoSuchFootprint", "message": str(exc)}, status_code=404)
    try:
        return SingleFootprint(data=v3_to_v2(footprint))
    except DeclarationError as exc:
        return JSONResponse({"code": "NoSuchFootprint", "message": f"not available in PACT v2: {exc}"}, status_code=404)
