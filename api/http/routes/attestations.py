"""/v1/declarations/{key}/attestations: auditors' attestations of a declaration, as the chain holds them (public).

Attesting and withdrawing are transactions the auditor's own wallet signs (POST /v1/transactions).
"""

from __future__ import annotations

from api.http.deps import RuntimeDep
from api.http.native_reports import AttestationList
from api.http.native_schemas import AttestationPublic
from api.http.native_views import errors
from api.http.routes.declarations import DeclarationKey
from api.http.routing import new_router
from ledger.storage import repository

router = new_router(prefix="/v1/declarations", tags=["attestations"])


@router.get(
    "/{key}/attestations",
    name="list_attestations",
    responses=errors(404),
    summary="Attestations of a declaration (public)",
)
def list_attestations(key: DeclarationKey, runtime: RuntimeDep) -> AttestationList:
    """Result, assurance, auditor organization and withdrawal of each attestation, oldest first."""
    with runtime.sessions() as session:
        row = repository.require_declaration(session=session, key=key)
    items = runtime.chain.attestations(bytes.fromhex(row.digest[2:]))
    return AttestationList(
        declaration_id=row.id, digest=row.digest, items=[AttestationPublic.model_validate(item) for item in items]
    )
