"""Domain results -> native API response models, and the principal -> visibility viewer."""

from __future__ import annotations

from typing import Any

from api.http.native_reports import VerificationReportPublic
from api.http.native_schemas import (
    AnchorPublic,
    AttestationPublic,
    ChainStatusPublic,
    DeclarationPublic,
    KeyPublic,
    LabelSummary,
    LegalIdentifierPublic,
    OrganizationPublic,
    VersionRef,
)
from api.http.schemas import PactError
from ledger.service.declaration_reads import DeclarationView
from ledger.service.identity import Principal
from ledger.service.organizations import OrganizationFacts
from ledger.service.verify import VerificationReport
from ledger.service.visibility import PUBLIC_VIEWER, Viewer
from ledger.storage.tables import DeclarationRow

ERROR_DESCRIPTIONS = {
    403: "Not allowed: not the declarant, no grant, missing role, or the contract refused (its error name)",
    404: "No such declaration, organization, product, grant or factor set",
    409: "Conflicts with the ledger's state: not anchored yet, already registered or recorded, wrong nonce",
    422: "Invalid input: a rule of the ledger is broken (check characters, refused declaration, bad transaction)",
    503: "The chain is unavailable; nothing was written, retry",
}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` documenting the PACT error bodies a route answers with these statuses (and 503)."""
    return {status: {"model": PactError, "description": ERROR_DESCRIPTIONS[status]} for status in (*statuses, 503)}


def viewer_of(principal: Principal | None) -> Viewer:
    """The visibility viewer of a caller (the public without a token)."""
    return PUBLIC_VIEWER if principal is None else Viewer(principal.org_handle, principal.roles)


def organization_public(facts: OrganizationFacts) -> OrganizationPublic:
    """An organization's public facts."""
    return OrganizationPublic(
        handle=facts.handle,
        org_id=facts.org_id,
        name=facts.name,
        suspended=facts.suspended,
        registered_at_block=facts.registered_at_block,
        roles=list(facts.roles),
        keys=[
            KeyPublic(
                address=key.address,
                added_at_block=key.added_at_block,
                retired_at_block=key.retired_at_block,
                active=key.retired_at_block == 0,
            )
            for key in facts.keys
        ],
        identifiers=[
            LegalIdentifierPublic(scheme=item.scheme, value=item.value, urn=item.urn)  # type: ignore[arg-type]
            for item in facts.identifiers
        ],
        company_ids=facts.company_ids,
    )


def declaration_public(view: DeclarationView) -> DeclarationPublic:
    """A declaration as its viewer may see it."""
    row, status = view.row, view.chain_status
    return DeclarationPublic(
        id=row.id,
        digest=row.digest,
        declarant=row.declarant,
        organization=row.org_handle,
        status=row.status,
        access=view.access,  # type: ignore[arg-type]
        anchor=AnchorPublic.model_validate(view.anchor) if view.anchor is not None else None,
        chain_status=None
        if status is None
        else ChainStatusPublic(
            status=status.status,  # type: ignore[arg-type]
            reason=status.reason,
            changed_at_block=status.changed_at_block,
            changed_by=status.changed_by,
            successor_digest=status.successor_digest,
        ),
        attestations=[AttestationPublic.model_validate(item) for item in view.attestations],
        labels=[LabelSummary.model_validate(item) for item in view.labels],
        product_id=row.product_id if view.payload is not None else None,
        payload=view.payload,
        disclosed=view.disclosed,
    )


def version_ref(row: DeclarationRow) -> VersionRef:
    """Another version of a declaration."""
    return VersionRef(id=row.id, digest=row.digest, status=row.status)


def report_public(report: VerificationReport) -> VerificationReportPublic:
    """A verification report."""
    data: dict[str, Any] = report.as_dict()
    return VerificationReportPublic.model_validate(data)
