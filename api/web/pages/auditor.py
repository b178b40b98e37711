"""The auditor's desk: declarations it may audit, the provenance tree with each check ticked or failed, and the
attestation, which the auditor's own wallet signs (api.web.wallet_tx: the server prepares, the wallet signs, the
relay sends; the server never signs for a member)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from api.web.provenance import provenance_tree
from api.web.site import Page, page_route
from api.web.wallet_tx import prepare, relay_signed
from ledger.codes import Assurance, AttestationResult
from ledger.errors import InvalidInputError
from ledger.service.attestation import prepare_report
from ledger.service.attestation_reports import ReportTerms, report_hash
from ledger.service.audit_assignments import require_wallet_of
from ledger.service.declaration_actions import require_anchored
from ledger.service.declaration_reads import list_declarations
from ledger.service.factor_sets import factor_set_names, load_factor_set
from ledger.service.organizations import require_address
from ledger.service.visibility import Viewer

RESULTS = ("verified", "qualified", "rejected")
ASSURANCES = ("limited", "reasonable")
MAX_LISTED = 100
DEFAULT_STANDARD = "ISO 14064-3"


def auditor_desk(page: Page) -> Response:
    """Declarations shared with the auditor, and a form to open any declaration by id or digest."""
    key = (page.request.query_params.get("key") or "").strip()
    if key:
        return RedirectResponse(f"/auditor/declarations/{quote(key, safe='')}", status_code=303)
    principal = page.signed_in()
    with page.runtime.sessions() as session:
        listed, _ = list_declarations(
            session, Viewer(principal.org_handle, principal.roles), status="anchored", limit=MAX_LISTED
        )
    return page.render("auditor.html", items=listed)


def review(page: Page, status: int = 200, **extra: Any) -> Response:
    """The provenance tree and the attestation form of one declaration."""
    principal = page.signed_in()
    key = str(page.request.path_params["key"])
    folder = page.runtime.settings.home / "factors"
    factors_name = (page.request.query_params.get("factors") or page.form.get("factors") or "").strip() or None
    factors = load_factor_set(folder, factors_name) if factors_name else []
    runtime = page.runtime
    with runtime.sessions() as session:
        tree = provenance_tree(
            session, runtime.store.keyring, runtime.chain, key, Viewer(principal.org_handle, principal.roles), factors
        )
    values: dict[str, Any] = {
        "tree": tree,
        "key": key,
        "results": RESULTS,
        "assurances": ASSURANCES,
        "factor_sets": factor_set_names(folder),
        "factors_name": factors_name,
        "address": page.form.get("address") or principal.address or "",
        "prepared": None,
        "terms": "",
        "report": None,
        "notice": None,
        "default_standard": DEFAULT_STANDARD,
        "form": page.form,
    }
    values.update(extra)
    return page.render("review.html", status, **values)


def auditor_declaration(page: Page) -> Response:
    """The review page."""
    return review(page)


def attest_call(page: Page) -> tuple[str, list[Any], dict[str, Any]]:
    """(key address, attest arguments, canonical report) from the form, as POST .../attestation-reports does it: the
    ledger builds and keeps the canonical report, and its hash is what the auditor's wallet records on chain."""
    form = page.form
    address = require_address(form.get("address", "").strip(), "address")
    if form.get("result") not in RESULTS or form.get("assurance") not in ASSURANCES:
        raise InvalidInputError(
            f"result must be one of {', '.join(RESULTS)} and assurance one of {', '.join(ASSURANCES)}"
        )
    findings = tuple(line.strip() for line in form.get("findings", "").splitlines() if line.strip())
    key = str(page.request.path_params["key"])
    runtime = page.runtime
    with runtime.sessions() as session:
        require_wallet_of(runtime.chain, address, page.signed_in().org_handle)
        anchored = require_anchored(session, key)
        scope = form.get("scope", "").strip() or f"product footprint of {anchored.row.product_id} per declared unit"
        terms = ReportTerms(form.get("standard", "").strip() or DEFAULT_STANDARD, scope, findings)
        result, assurance = AttestationResult[form["result"].upper()], Assurance[form["assurance"].upper()]
        _, report = prepare_report(
            session, runtime.chain, key, auditor=address, result=result, assurance=assurance, terms=terms, store=True
        )
    leaf = anchored.leaf
    reference = (leaf.root, leaf.digest, leaf.declarant, list(leaf.proof))
    return address, [reference, int(result), int(assurance), report_hash(report)], report


def auditor_attest(page: Page) -> Response:
    """``step=prepare``: the unsigned attest transaction for the wallet; ``step=relay``: send the signed one."""
    if page.form.get("step") == "relay":
        done = relay_signed(page.runtime, page.signed_in(), page.form.get("raw_transaction", ""))
        notice = page.t("tx.relayed", function=done.function, block=done.block_number, tx=done.tx_hash)
        return review(page, notice=notice)
    address, args, report = attest_call(page)
    prepared = prepare(page.runtime, address, "TanjiAttestations", "attest", args)
    return review(page, prepared=prepared, report=report)


def routes() -> list[Route]:
    """The auditor's pages."""
    return [
        page_route("/auditor", "auditor_desk", auditor_desk),
        page_route("/auditor/declarations/{key}", "auditor_declaration", auditor_declaration),
        page_route("/auditor/declarations/{key}/attest", "auditor_attest", auditor_attest, ("POST",)),
    ]
