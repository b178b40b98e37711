"""Public pages: the home page, the label check by serial (碳标识查询) and a declaration's public facts."""

from __future__ import annotations

from urllib.parse import quote

from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from api.web.site import Page, page_route
from ledger.service.declaration_reads import view_declaration
from ledger.service.label_check import check_label
from ledger.service.visibility import PUBLIC_VIEWER

MAX_SERIAL = 128


def home(page: Page) -> Response:
    """Label check form and, when signed in, the desks of the visitor's roles."""
    return page.render("home.html")


def label_search(page: Page) -> Response:
    """``/labels?serial=...`` (the home page's form, or a QR code's link) goes to the label's page."""
    serial = (page.request.query_params.get("serial") or "").strip()
    if serial:
        return RedirectResponse(f"/labels/{quote(serial[:MAX_SERIAL], safe='')}", status_code=303)
    return page.render("home.html")


def label_page(page: Page) -> Response:
    """Valid or not at a glance, with the reason and the declaration behind the label."""
    serial = str(page.request.path_params["serial"])[:MAX_SERIAL]
    with page.runtime.sessions() as session:
        found = check_label(session, page.runtime.store.keyring, page.runtime.chain, serial)
    return page.render("label.html", check=found, facts=found.as_dict())


def declaration_facts(page: Page) -> Response:
    """Digest, anchor, on-chain status, attestations and labels: what anyone may see (never the payload)."""
    key = str(page.request.path_params["key"])[:MAX_SERIAL]
    with page.runtime.sessions() as session:
        view = view_declaration(session, page.runtime.store.keyring, page.runtime.chain, key, PUBLIC_VIEWER)
    return page.render("declaration.html", view=view, row=view.row)


def routes() -> list[Route]:
    """The public pages."""
    return [
        page_route("/", "home", home),
        page_route("/labels", "label_search", label_search),
        page_route("/labels/{serial}", "label_page", label_page),
        page_route("/declarations/{key}", "declaration_facts", declaration_facts),
    ]
