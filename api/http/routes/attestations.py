"""/v1/declarations/{key}/attestations: auditors' attestations of a declaration, as the chain holds them (public),
withdrawn ones with their reason, each with its report's standard and findings once the kept report checks against
the recorded reportHash; /v1/declarations/{key}/attestation-reports: an auditor prepares the canonical report whose
hash it then records.

Attesting and withdrawing are transactions the auditor's own wallet signs (POST /v1/transactions).
"""

from __future__ import annotations

from api.http.audit_schemas import ReportCreate, ReportPublic
from api.http.deps import CurrentPrincipal, RuntimeDep
from api.http.native_reports import AttestationList
from api.http.native_schemas import AttestationPublic
from api.http.native_views import errors
from api.http.routes.declarations import DeclarationKey
from api.http.routing import new_router
from ledger.canonical import hex32
from ledger.codes import Assurance, AttestationResult
from ledger.service.attestation import prepare_report
from ledger.service.attestation_reports import ReportTerms, described, report_hash
from ledger.service.audit_assignments import require_wallet_of
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
    with runtime.sessions() as session:
        listed = described(session, row.id, row.digest, items)
    return AttestationList(
        declaration_id=row.id, digest=row.digest, items=[AttestationPublic.model_validate(item) for item in listed]
    )


@router.post(
    "/{key}/attestation-reports",
    name="create_attestation_report",
    responses=errors(403, 404, 409, 422),
    status_code=201,
    summary="Prepare and keep the report an auditor is about to attest (auditors)",
)
def create_attestation_report(
    key: DeclarationKey, body: ReportCreate, principal: CurrentPrincipal, runtime: RuntimeDep
) -> ReportPublic:
    """The canonical report for key `auditor` of the caller's organization; record `reportHash` with
    ITanjiAttestations.attest through POST /v1/transactions. Refused for the declarant's own organization."""
    terms = ReportTerms(body.standard, body.scope, tuple(body.findings), body.document_sha256)
    with runtime.sessions() as session:
        require_wallet_of(runtime.chain, body.auditor, principal.org_handle)
        declaration_id, report = prepare_report(
            session,
            runtime.chain,
            key,
            auditor=body.auditor,
            result=AttestationResult[body.result.upper()],
            assurance=Assurance[body.assurance.upper()],
            terms=terms,
            store=True,
        )
    return ReportPublic(declaration_id=declaration_id, report_hash=hex32(report_hash(report)), report=report)
