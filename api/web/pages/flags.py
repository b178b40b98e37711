"""Anomaly flags to review (虚标滥标): the same use case as GET /v1/flags; a regulator sees every flag, a chain leader
or an auditor those on declarations it may read in full. Flags never block anything: they ask a person to look."""

from __future__ import annotations

from starlette.responses import Response
from starlette.routing import Route

from api.web.site import Page, page_route
from ledger.service.anomaly_flags import scan_flags
from ledger.service.visibility import Viewer

SEVERITY_ORDER = {"critical": 0, "warning": 1, "info": 2}


def flags_page(page: Page) -> Response:
    """Every flag the organization may see (``?product=`` for one product), the most severe first."""
    principal = page.signed_in()
    product = (page.request.query_params.get("product") or "").strip() or None
    runtime = page.runtime
    with runtime.sessions() as session:
        found = scan_flags(
            session,
            runtime.store.keyring,
            runtime.chain,
            Viewer(principal.org_handle, principal.roles),
            product_id=product,
        )
    items = sorted(found, key=lambda item: (SEVERITY_ORDER.get(item.flag.severity, 3), item.product_id))
    return page.render("flags.html", items=items, product=product or "")


def routes() -> list[Route]:
    """The flags page."""
    return [page_route("/flags", "flags", flags_page)]
