"""/v1/audits: the declarant assigns and unassigns auditors of its declarations; an assigned auditor lists its
assignments and opens the work view of one declaration (evidence, factors, the arithmetic re-run, attestations).

An assignment gives the auditor full read access to the declaration everywhere in the native API
(ledger.service.visibility). Attesting is a transaction the auditor's own wallet signs (POST /v1/transactions) over
the report prepared at POST /v1/declarations/{key}/attestation-reports.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query, Response

from api.http.audit_schemas import AssignmentCreate, AssignmentList, AssignmentPublic, AuditWorkPublic
from api.http.deps import CurrentPrincipal, RuntimeDep
from api.http.native_schemas import HANDLE
from api.http.native_views import errors
from api.http.routes.declarations import DeclarationKey
from api.http.routing import new_router
from ledger.service import audit_assignments
from ledger.service.audit_assignments import Assignment
from ledger.service.audit_work import work_view

router = new_router(prefix="/v1/audits", tags=["audits"])
Auditor = Annotated[str, Path(min_length=1, max_length=128, pattern=HANDLE, description="auditor organization")]


def assignment_public(item: Assignment) -> AssignmentPublic:
    """An assignment."""
    return AssignmentPublic(
        declaration_id=item.declaration_id,
        digest=item.digest,
        product_id=item.product_id,
        declarant=item.declarant,
        auditor=item.auditor,
        assigned_by=item.assigned_by,
        assigned_at=item.assigned_at,
    )


@router.post(
    "",
    name="assign_auditor",
    responses=errors(403, 404, 422),
    status_code=201,
    summary="Assign an auditor to a declaration (its declarant only)",
)
def assign_auditor(body: AssignmentCreate, principal: CurrentPrincipal, runtime: RuntimeDep) -> AssignmentPublic:
    """The auditor must hold the auditor role on chain and must not be the declarant; assigning twice is harmless."""
    with runtime.sessions() as session:
        done = audit_assignments.assign_auditor(
            session, runtime.chain, body.declaration, body.auditor, by=principal.org_handle
        )
    return assignment_public(done)


@router.delete(
    "/{key}/{auditor}",
    name="unassign_auditor",
    responses=errors(403, 404),
    status_code=204,
    response_class=Response,
    summary="Withdraw an auditor's assignment (the declarant only)",
)
def unassign_auditor(key: DeclarationKey, auditor: Auditor, principal: CurrentPrincipal, runtime: RuntimeDep) -> None:
    """The auditor loses the read access the assignment gave (its attestations stay on chain)."""
    with runtime.sessions() as session:
        audit_assignments.unassign_auditor(session, key, auditor, by=principal.org_handle)


@router.get(
    "",
    name="list_audit_assignments",
    responses=errors(403, 404),
    summary="My assignments (an auditor), or the auditors of one of my declarations",
)
def list_audit_assignments(
    principal: CurrentPrincipal,
    runtime: RuntimeDep,
    declaration: Annotated[str | None, Query(max_length=128, description="a declaration of the caller")] = None,
) -> AssignmentList:
    """Without `declaration`: what the caller is assigned to audit. With it: who audits it (its declarant only)."""
    with runtime.sessions() as session:
        found = (
            audit_assignments.auditors_of(session, declaration, by=principal.org_handle)
            if declaration is not None
            else audit_assignments.assignments_of_auditor(session, principal.org_handle)
        )
    return AssignmentList(items=[assignment_public(item) for item in found])


@router.get(
    "/{key}",
    name="audit_work_view",
    responses=errors(403, 404),
    summary="The work view of a declaration the caller is assigned to audit",
)
def audit_work_view(key: DeclarationKey, principal: CurrentPrincipal, runtime: RuntimeDep) -> AuditWorkPublic:
    """Evidence hashes, cited factors, the arithmetic re-run (the full audit for a computed footprint, the totals
    check for a supplier declaration) and the attestations so far; 403 unless assigned."""
    with runtime.sessions() as session:
        work = work_view(session, runtime.store.keyring, runtime.chain, key, principal.org_handle)
    return AuditWorkPublic.model_validate(work.as_dict())
