"""/v1/organizations: member organizations' public facts, registration and legal identifiers (operator), keys."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

from api.http.chain_reads import PublicChainDep
from api.http.deps import CurrentPrincipal, RuntimeDep
from api.http.native_schemas import (
    HANDLE,
    KeyProposal,
    LegalIdentifiersIn,
    MinedTransaction,
    OrganizationCreate,
    OrganizationPage,
    OrganizationPublic,
)
from api.http.native_views import errors, organization_public
from api.http.routing import new_router
from ledger.service import organizations

router = new_router(prefix="/v1/organizations", tags=["organizations"])
Handle = Annotated[str, Path(min_length=1, max_length=128, pattern=HANDLE, description="organization handle")]


@router.get("", name="list_organizations", responses=errors(), summary="Member organizations (public facts), by handle")
def list_organizations(
    runtime: RuntimeDep,
    chain: PublicChainDep,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
) -> OrganizationPage:
    """Organizations registered on chain that this server knows, with roles, keys and legal identifiers."""
    with runtime.sessions() as session:
        found, total = organizations.list_organizations(session, chain, offset=offset, limit=limit)
    following = offset + limit if offset + limit < total else None
    return OrganizationPage(
        items=[organization_public(item) for item in found],
        total=total,
        offset=offset,
        limit=limit,
        next_offset=following,
    )


@router.get(
    "/{handle}",
    name="get_organization",
    responses=errors(404),
    summary="One organization's public facts and PACT companyIds",
)
def get_organization(handle: Handle, runtime: RuntimeDep, chain: PublicChainDep) -> OrganizationPublic:
    """Roles, keys, suspension, legal identifiers and companyIds of `handle`."""
    with runtime.sessions() as session:
        return organization_public(organizations.organization_facts(session, chain, handle))


@router.post(
    "",
    name="register_organization",
    responses=errors(403, 409, 422),
    status_code=201,
    summary="Register an organization (operator)",
)
def register_organization(
    body: OrganizationCreate, principal: CurrentPrincipal, runtime: RuntimeDep
) -> OrganizationPublic:
    """The server's operator key registers the organization on chain; its legal identifiers are validated first."""
    facts = organizations.register_organization(
        runtime.sessions,
        runtime.chain,
        runtime.operator,
        handle=body.handle,
        first_key=body.first_key,
        roles=list(body.roles),
        identifiers=body.identifiers.as_dict(),
        by=principal.org_handle,
    )
    return organization_public(facts)


@router.put(
    "/{handle}/identifiers",
    name="set_organization_identifiers",
    responses=errors(403, 404, 409, 422),
    summary="Record legal identifiers (operator)",
)
def set_identifiers(
    handle: Handle, body: LegalIdentifiersIn, principal: CurrentPrincipal, runtime: RuntimeDep
) -> OrganizationPublic:
    """Record or replace (per scheme) the unified social credit code and the LEI, check characters validated."""
    facts = organizations.record_identifiers(
        runtime.sessions, runtime.chain, handle=handle, identifiers=body.as_dict(), by=principal.org_handle
    )
    return organization_public(facts)


@router.post(
    "/{handle}/keys",
    name="propose_organization_key",
    responses=errors(403, 404, 409, 422),
    status_code=201,
    summary="Propose a key (operator)",
)
def propose_key(handle: Handle, body: KeyProposal, runtime: RuntimeDep) -> MinedTransaction:
    """The operator proposes a key; it acts only after an active key of the member accepts it (acceptKey, signed by
    the member and relayed with POST /v1/transactions)."""
    mined = organizations.propose_key(runtime.chain, runtime.operator, handle=handle, key=body.address)
    return MinedTransaction(tx_hash=mined.tx_hash, block_number=mined.block_number)
