"""Footprint requests by tier: the supplier's inbox (fulfil with its own anchored declaration, reject with a reason,
forward one tier down), what an organization sent, and the chain leader's coverage by tier (requested, fulfilled,
rejected, open, overdue, missing inputs, assembly progress). The same use cases as /v1/requests."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from starlette.responses import Response
from starlette.routing import Route

from api.web.site import Page, page_route
from ledger.errors import InvalidFootprintRequestError
from ledger.requests.rules import REJECTION_CODES
from ledger.service import footprint_requests
from ledger.service.factor_sets import factor_set_names, load_factor_set
from ledger.service.request_coverage import coverage


def deadline_of(text: str) -> datetime | None:
    """An ISO date (end of that day, UTC) or date-time; None when empty."""
    text = text.strip()
    if not text:
        return None
    try:
        if len(text) == 10:
            return datetime.combine(datetime.fromisoformat(text).date(), time(23, 59, 59), tzinfo=UTC)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidFootprintRequestError(f"deadline {text!r} is not an ISO date (e.g. 2027-03-31)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def products_of(text: str) -> list[str]:
    """Product ids, one per line or separated by commas."""
    return [item.strip() for item in text.replace(",", "\n").splitlines() if item.strip()]


def requests_page(page: Page, status: int = 200, notice: str | None = None) -> Response:
    """Inbox and outbox of the signed-in organization."""
    org = page.signed_in().org_handle
    with page.runtime.sessions() as session:
        inbox = footprint_requests.list_requests(session, org, box="inbox")
        outbox = footprint_requests.list_requests(session, org, box="outbox")
    return page.render(
        "requests.html", status, inbox=inbox, outbox=outbox, codes=REJECTION_CODES, notice=notice, form=page.form
    )


def request_list(page: Page) -> Response:
    """The inbox and outbox."""
    return requests_page(page)


def request_create(page: Page) -> Response:
    """A chain leader asks its tier-1 supplier for declarations of products by a deadline."""
    deadline = deadline_of(page.form.get("deadline", ""))
    if deadline is None:
        raise InvalidFootprintRequestError("a request needs a deadline (an ISO date such as 2027-03-31)")
    with page.runtime.sessions() as session:
        made = footprint_requests.create_requests(
            session,
            page.runtime.chain,
            by=page.signed_in().org_handle,
            to=page.form.get("to", "").strip(),
            products=products_of(page.form.get("products", "")),
            deadline=deadline,
            note=page.form.get("note", "").strip() or None,
        )
    return requests_page(page, notice=page.t("requests.created", n=len(made)))


def request_answer(page: Page) -> Response:
    """``action=fulfil`` (with a declaration), ``reject`` (code and message) or ``forward`` (to a supplier)."""
    request_id = str(page.request.path_params["request_id"])
    org, form = page.signed_in().org_handle, page.form
    action = form.get("action", "")
    with page.runtime.sessions() as session:
        if action == "fulfil":
            footprint_requests.fulfil_request(
                session, page.runtime.chain, request_id, by=org, declaration=form.get("declaration", "").strip()
            )
        elif action == "reject":
            footprint_requests.reject_request(
                session, request_id, by=org, code=form.get("code", ""), message=form.get("message", "")
            )
        elif action == "forward":
            footprint_requests.forward_request(
                session,
                page.runtime.chain,
                request_id,
                by=org,
                to=form.get("to", "").strip(),
                products=products_of(form.get("products", "")) or None,
                deadline=deadline_of(form.get("deadline", "")),
            )
        else:
            raise InvalidFootprintRequestError(f"unknown answer {action!r}; use fulfil, reject or forward")
    return requests_page(page, notice=page.t(f"requests.done.{action}", id=request_id))


def request_coverage(page: Page) -> Response:
    """The chain leader's coverage by tier, with a chart, missing inputs and assembly progress."""
    folder = page.runtime.settings.home / "factors"
    factors_name = (page.request.query_params.get("factors") or "").strip() or None
    factors = load_factor_set(folder, factors_name) if factors_name else []
    runtime = page.runtime
    with runtime.sessions() as session:
        found = coverage(session, runtime.store.keyring, runtime.chain, page.signed_in().org_handle, factors=factors)
    report = found.as_dict()
    t = page.t
    series = ("fulfilled", "open", "overdue", "rejected")
    chart: dict[str, Any] = {
        "tiers": [t("product.tier_n", n=tier) for tier in report["by_tier"]],
        "series": [
            {"name": t(f"requests.{name}"), "data": [tally[name] for tally in report["by_tier"].values()]}
            for name in series
        ],
    }
    return page.render(
        "coverage.html",
        report=report,
        chart=chart,
        factor_sets=factor_set_names(folder),
        factors_name=factors_name,
    )


def routes() -> list[Route]:
    """The request pages."""
    return [
        page_route("/requests", "request_list", request_list),
        page_route("/requests", "request_create", request_create, ("POST",)),
        page_route("/requests/coverage", "request_coverage", request_coverage),
        page_route("/requests/{request_id}/answer", "request_answer", request_answer, ("POST",)),
    ]
