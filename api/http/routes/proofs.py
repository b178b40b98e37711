"""Proof bundles and verification: export a declaration's bundle (full, or a disclosure of chosen fields), verify a
stored declaration, verify an uploaded bundle against this server's trusted deployment."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from api.http.deps import CurrentPrincipal, RuntimeDep
from api.http.native_reports import ProofBundle, VerificationReportPublic
from api.http.native_views import errors, report_public, viewer_of
from api.http.routes.declarations import DeclarationKey
from api.http.routing import new_router
from ledger.service.bundle_verification import verify_uploaded_bundle
from ledger.service.declaration_reads import proof_for
from ledger.service.verify_stored import require_verified

router = new_router(prefix="/v1", tags=["proofs"])


@router.get(
    "/declarations/{key}/proof",
    name="export_proof",
    responses=errors(403, 404, 409, 422),
    response_model_exclude_none=True,
    summary="The declaration's proof bundle: full, or disclosing only chosen fields (?disclose=...)",
)
def export_proof(
    key: DeclarationKey,
    principal: CurrentPrincipal,
    runtime: RuntimeDep,
    disclose: Annotated[list[str] | None, Query(max_length=64, description="field names or JSON pointers")] = None,
) -> ProofBundle:
    """Readers of the payload get any cut; a disclosure recipient gets (a subset of) its disclosed fields only."""
    with runtime.sessions() as session:
        bundle = proof_for(
            session, runtime.store.keyring, runtime.chain.trust_anchors, key, viewer_of(principal), disclose=disclose
        )
    return ProofBundle.model_validate(bundle)


@router.get(
    "/declarations/{key}/verification",
    name="verify_declaration",
    responses=errors(404),
    summary="Verify a stored declaration now (signature, anchor, on-chain status, declarant's key)",
)
def verify_declaration(key: DeclarationKey, runtime: RuntimeDep) -> VerificationReportPublic:
    """Every check against the chain; `valid` only when all pass."""
    with runtime.sessions() as session:
        report = require_verified(session, runtime.store.keyring, runtime.chain, key)
    return report_public(report)


@router.post(
    "/verifications",
    name="verify_bundle",
    responses=errors(),
    summary="Verify a proof bundle against this server's trusted deployment (never the bundle's own addresses)",
)
def verify_bundle(bundle: ProofBundle, runtime: RuntimeDep) -> VerificationReportPublic:
    """A bundle naming another deployment fails the `deployment` check; a malformed one fails `bundle`."""
    document = bundle.model_dump(by_alias=True, exclude_none=True)
    report = verify_uploaded_bundle(document, runtime.chain, runtime.chain.trust_anchors)
    return report_public(report)
