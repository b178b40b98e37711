"""GET /v1/me: the organization a bearer token speaks for."""

from __future__ import annotations

from api.http.deps import CurrentPrincipal
from api.http.routing import new_router
from api.http.schemas import Me

router = new_router(prefix="/v1", tags=["system"])


@router.get("/me", name="me", summary="The signed-in organization, its on-chain roles and how it signed in")
def me(principal: CurrentPrincipal) -> Me:
    """The principal of the bearer token."""
    return Me(
        organization=principal.org_handle,
        org_id="0x" + principal.org_id.hex(),
        roles=sorted(principal.roles),
        method=principal.method,  # type: ignore[arg-type]
        client_id=principal.client_id,
        address=principal.address,
        expires_at=principal.expires_at,
    )
