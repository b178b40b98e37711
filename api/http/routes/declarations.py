"""/v1/declarations: submit a signed declaration, read one as the caller may see it, list the caller's, versions.

Revocation and supersession are transactions the declarant's own wallet signs (POST /v1/transactions).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Body, Path, Query

from api.http.deps import CurrentPrincipal, OptionalPrincipal, RuntimeDep
from api.http.native_schemas import (
    DeclarationListItem,
    DeclarationPage,
    DeclarationPublic,
    DeclarationVersions,
    SubmissionResult,
)
from api.http.native_views import declaration_public, errors, version_ref, viewer_of
from api.http.routing import new_router
from ledger.service import declaration_reads
from ledger.service.submission import submit_signed

router = new_router(prefix="/v1/declarations", tags=["declarations"])
DeclarationKey = Annotated[
    str, Path(min_length=1, max_length=128, description="declaration id (the PACT id) or digest (0x + 64 hex)")
]
ENVELOPE_EXAMPLE = {"type": "tanji.signed-declaration/1", "payload": {}, "salts": {}, "digest": "0x...", "eip712": {}}


@router.post(
    "",
    name="submit_declaration",
    responses=errors(403, 409, 422),
    status_code=202,
    summary="Submit a declaration the declarant signed locally (tanji.signed-declaration/1 envelope)",
)
def submit_declaration(
    envelope: Annotated[dict[str, Any], Body(examples=[ENVELOPE_EXAMPLE])],
    principal: CurrentPrincipal,
    runtime: RuntimeDep,
) -> SubmissionResult:
    """Checked (schema, digest, signature, signing domain, membership), stored encrypted and queued for anchoring."""
    result = submit_signed(runtime.ingest, envelope, org=principal.org_handle)
    assert result.id is not None and result.digest is not None  # accepted results carry both
    return SubmissionResult(
        status=result.status,  # type: ignore[arg-type]
        id=result.id,
        digest=result.digest,
        duplicate=result.duplicate,
        warnings=list(result.warnings),
    )


@router.get(
    "", name="list_declarations", responses=errors(), summary="The declarations the caller may read, newest first"
)
def list_declarations(
    principal: CurrentPrincipal,
    runtime: RuntimeDep,
    status: Annotated[Literal["pending", "unverified", "anchored"] | None, Query()] = None,
    product_id: Annotated[str | None, Query(alias="productId", min_length=1, max_length=512)] = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
) -> DeclarationPage:
    """Its own declarations, those granted to it in full and those of which fields were disclosed to it."""
    with runtime.sessions() as session:
        listed, total = declaration_reads.list_declarations(
            session, viewer_of(principal), status=status, product_id=product_id, offset=offset, limit=limit
        )
    items = [
        DeclarationListItem(
            id=item.row.id,
            digest=item.row.digest,
            organization=item.row.org_handle,
            product_id=item.row.product_id if item.access != "disclosed" else None,
            version=item.row.version,
            status=item.row.status,
            access=item.access,  # type: ignore[arg-type]
        )
        for item in listed
    ]
    following = offset + limit if offset + limit < total else None
    return DeclarationPage(items=items, total=total, offset=offset, limit=limit, next_offset=following)


@router.get(
    "/{key}",
    name="get_declaration",
    responses=errors(404),
    summary="A declaration: public facts, plus what the caller may read",
)
def get_declaration(key: DeclarationKey, principal: OptionalPrincipal, runtime: RuntimeDep) -> DeclarationPublic:
    """Anyone sees digest, anchor, on-chain status, attestations and labels; the declarant and organizations granted
    access see the payload; a disclosure recipient sees its disclosed fields."""
    with runtime.sessions() as session:
        view = declaration_reads.view_declaration(
            session, runtime.store.keyring, runtime.chain, key, viewer_of(principal)
        )
    return declaration_public(view)


@router.get(
    "/{key}/versions",
    name="declaration_versions",
    responses=errors(404),
    summary="Predecessors and successors of a declaration",
)
def declaration_versions(key: DeclarationKey, runtime: RuntimeDep) -> DeclarationVersions:
    """The versions it names in precedingPfIds, and those that supersede it (signed, or recorded on chain)."""
    with runtime.sessions() as session:
        found = declaration_reads.versions_of(session, runtime.chain, key)
    return DeclarationVersions(
        id=found.row.id,
        digest=found.row.digest,
        predecessors=[version_ref(row) for row in found.predecessors],
        successors=[version_ref(row) for row in found.successors],
    )
