"""The supplier's desk: its declarations and their statuses, upload of a declaration signed on its own machine
(`tanji declare sign`; the page never sees a key), and disclosure grants (the same use cases as
POST /v1/declarations and POST /v1/declarations/{key}/grants)."""

from __future__ import annotations

import json

from starlette.responses import Response
from starlette.routing import Route

from api.web.site import MAX_UPLOAD_BYTES, Page, page_route
from ledger.canonical import loads_exact
from ledger.errors import InvalidInputError, MalformedJsonError
from ledger.service.audit_assignments import assign_auditor, auditors_of
from ledger.service.declaration_reads import list_declarations
from ledger.service.grants import grant, grants_on
from ledger.service.submission import submit_signed
from ledger.service.visibility import DECLARANT, Viewer

MAX_LISTED = 100


def desk(page: Page, notice: str | None = None, status: int = 200) -> Response:
    """The organization's own declarations (newest first) with their grants."""
    principal = page.signed_in()
    with page.runtime.sessions() as session:
        listed, total = list_declarations(session, Viewer(principal.org_handle, principal.roles), limit=MAX_LISTED)
        own = [item.row for item in listed if item.access == DECLARANT]
        grants = {row.id: grants_on(session, row.id, by=principal.org_handle) for row in own}
        auditors = {row.id: auditors_of(session, row.id, by=principal.org_handle) for row in own}
    return page.render("supplier.html", status, rows=own, grants=grants, auditors=auditors, total=total, notice=notice)


def supplier_desk(page: Page) -> Response:
    """The desk."""
    return desk(page)


def supplier_upload(page: Page) -> Response:
    """Submit the uploaded signed envelope for the signed-in organization."""
    data = page.files.get("envelope") or page.form.get("envelope_text", "").encode("utf-8")
    if not data.strip():
        raise InvalidInputError("no file was uploaded; choose the signed declaration (tanji declare sign) to upload")
    if len(data) > MAX_UPLOAD_BYTES:
        raise InvalidInputError(f"the file is larger than {MAX_UPLOAD_BYTES} bytes; upload one signed declaration")
    loads_exact(data)  # bounded nesting, no duplicate keys (errors name the problem)
    try:
        envelope = json.loads(data)
    except ValueError as exc:
        raise MalformedJsonError(f"the uploaded file is not JSON: {exc}") from None
    if not isinstance(envelope, dict):
        raise InvalidInputError("the uploaded file must hold one signed declaration (a JSON object)")
    result = submit_signed(page.runtime.ingest, envelope, org=page.signed_in().org_handle)
    return desk(page, page.t("supplier.uploaded", id=result.id or "", status=page.t(f"decl.{result.status}")))


def supplier_grant(page: Page) -> Response:
    """Grant another organization read access to a declaration, in full or of the listed fields."""
    fields = [item.strip() for item in page.form.get("fields", "").split(",") if item.strip()]
    runtime = page.runtime
    with runtime.sessions() as session:
        made = grant(
            session,
            runtime.store.keyring,
            page.form.get("declaration", "").strip(),
            recipient=page.form.get("recipient", "").strip(),
            by=page.signed_in().org_handle,
            fields=fields or None,
        )
    return desk(page, page.t("supplier.granted", id=made.declaration_id, recipient=made.recipient))


def supplier_assign(page: Page) -> Response:
    """Assign an auditor organization to one of the organization's declarations (it may then read it in full)."""
    runtime = page.runtime
    with runtime.sessions() as session:
        made = assign_auditor(
            session,
            runtime.chain,
            page.form.get("declaration", "").strip(),
            page.form.get("auditor", "").strip(),
            by=page.signed_in().org_handle,
        )
    return desk(page, page.t("supplier.assigned", id=made.declaration_id, auditor=made.auditor))


def routes() -> list[Route]:
    """The supplier's pages."""
    return [
        page_route("/supplier", "supplier_desk", supplier_desk),
        page_route("/supplier/upload", "supplier_upload", supplier_upload, ("POST",)),
        page_route("/supplier/grants", "supplier_grant", supplier_grant, ("POST",)),
        page_route("/supplier/auditors", "supplier_assign", supplier_assign, ("POST",)),
    ]
