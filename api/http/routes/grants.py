"""/v1/declarations/{key}/grants: the declarant grants read access, in full or of chosen fields, and withdraws it."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Response

from api.http.deps import CurrentPrincipal, RuntimeDep
from api.http.native_schemas import HANDLE, GrantCreate, GrantList, GrantPublic
from api.http.native_views import errors
from api.http.routes.declarations import DeclarationKey
from api.http.routing import new_router
from ledger.service import grants
from ledger.service.grants import GrantInfo

router = new_router(prefix="/v1/declarations", tags=["grants"])
Recipient = Annotated[str, Path(min_length=1, max_length=128, pattern=HANDLE, description="organization handle")]


def grant_public(item: GrantInfo) -> GrantPublic:
    """A grant."""
    fields = list(item.fields) if item.fields is not None else None
    return GrantPublic(
        declaration_id=item.declaration_id, recipient=item.recipient, granted_by=item.granted_by, fields=fields
    )


@router.get(
    "/{key}/grants",
    name="list_grants",
    responses=errors(403, 404),
    summary="Grants on a declaration (its declarant only)",
)
def list_grants(key: DeclarationKey, principal: CurrentPrincipal, runtime: RuntimeDep) -> GrantList:
    """Who may read the declaration, in full or in part."""
    with runtime.sessions() as session:
        found = grants.grants_on(session, key, by=principal.org_handle)
    return GrantList(items=[grant_public(item) for item in found])


@router.post(
    "/{key}/grants",
    name="create_grant",
    responses=errors(403, 404, 422),
    status_code=201,
    summary="Grant read access (declarant only)",
)
def create_grant(
    key: DeclarationKey, body: GrantCreate, principal: CurrentPrincipal, runtime: RuntimeDep
) -> GrantPublic:
    """In full, or (with `fields`) a selective disclosure the recipient can verify against the anchored digest."""
    with runtime.sessions() as session:
        made = grants.grant(
            session,
            runtime.store.keyring,
            key,
            recipient=body.recipient,
            by=principal.org_handle,
            fields=list(body.fields) if body.fields is not None else None,
        )
    return grant_public(made)


@router.delete(
    "/{key}/grants/{recipient}",
    name="delete_grant",
    responses=errors(403, 404),
    status_code=204,
    response_class=Response,
    summary="Withdraw an organization's grants on a declaration (declarant only)",
)
def delete_grant(key: DeclarationKey, recipient: Recipient, principal: CurrentPrincipal, runtime: RuntimeDep) -> None:
    """Both the full grant and the disclosure, if any."""
    with runtime.sessions() as session:
        grants.withdraw_grant(session, key, recipient=recipient, by=principal.org_handle)
