"""The pages' router (page routes plus ``/static``), put in front of the API by `create_app` as the :class:`WebPages`
middleware: a request whose path is a page's goes to the pages, every other request to the API unchanged (so the API's
route table, authorization matrix and OpenAPI document hold API routes only; no page path is an API path).

Each page is a plain function of a :class:`Page` (request, runtime, principal, translator, form fields and files)
run in the thread pool. :func:`page_route` wraps it: the page's row of `api.web.access.PAGE_RULES` (anonymous
visitors of a signed-in page are sent to the sign-in page, others without the role get 403), CSRF on every POST,
and domain errors rendered as a page with the API's HTTP status for them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Match, Mount, Route, Router
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from api.errors import RouteWithoutRuleError, is_known, response_for
from api.http.authorization import caller_key
from api.http.rate_limit import RateLimiter
from api.http.runtime import Runtime
from api.web.access import PAGE_RULES
from api.web.i18n import Translator
from api.web.session import CSRF_FIELD, csrf_ok, principal_of
from api.web.templating import render, translator_of
from ledger.service.identity import Principal

STATIC = Path(__file__).resolve().parent / "static"
MAX_UPLOAD_BYTES = 1024 * 1024


@dataclass
class Page:
    """What a page function gets."""

    request: Request
    runtime: Runtime
    principal: Principal | None
    t: Translator
    form: dict[str, str] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)

    def render(self, template: str, status: int = 200, **values: object) -> Response:
        """Render `template` for this request."""
        return render(self.request, template, status, **values)

    def signed_in(self) -> Principal:
        """The principal of a page whose rule needs one (the wrapper made sure)."""
        assert self.principal is not None
        return self.principal


PageFunction = Callable[[Page], Response]


def safe_next(target: str | None) -> str:
    """A local path to go to after signing in (never another site: ``//host`` and ``https://`` are refused)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def rate_limited(request: Request, principal: Principal | None, t: Translator) -> Response | None:
    """The API's rate limit, per signed-in client or wallet else per address (so guessing secrets on the sign-in
    page is as slow as on /auth/token): None when the request may go on, else the 429 page."""
    limiter: RateLimiter | None = getattr(request.app.state, "rate_limiter", None)
    if limiter is None:
        return None
    try:
        limiter.charge(caller_key(request, principal))
    except HTTPException as refused:
        headers = dict(refused.headers or {})
        response = render(request, "error.html", 429, message=t("error.rate_limited", seconds=headers["Retry-After"]))
        response.headers.update(headers)
        return response
    return None


def page_route(path: str, name: str, function: PageFunction, methods: tuple[str, ...] = ("GET",)) -> Route:
    """A page route obeying its row of PAGE_RULES, with CSRF on posts and domain errors rendered."""
    rule = PAGE_RULES.get(name)
    if rule is None:
        raise RouteWithoutRuleError(f"page {name!r} has no row in api/web/access.py PAGE_RULES; add one")

    async def endpoint(request: Request) -> Response:
        runtime: Runtime = request.app.state.runtime
        principal = await run_in_threadpool(principal_of, request, runtime)
        t = translator_of(request)
        refused = rate_limited(request, principal, t)
        if refused is not None:
            return refused
        if not rule.allows(principal):
            if principal is None:
                return RedirectResponse(f"/sign-in?next={quote(request.url.path)}", status_code=303)
            return render(request, "error.html", 403, message=t("error.role", org=principal.org_handle))
        page = Page(request, runtime, principal, t)
        if request.method == "POST":
            async with request.form(max_files=2, max_fields=40) as form:  # closes the uploaded files' spools
                if not csrf_ok(request, form.get(CSRF_FIELD)):
                    return render(request, "error.html", 403, message=t("error.csrf"))
                for key, value in form.multi_items():
                    if isinstance(value, UploadFile):
                        page.files[key] = await value.read(MAX_UPLOAD_BYTES + 1)
                    else:
                        page.form[key] = value
        try:
            return await run_in_threadpool(function, page)
        except Exception as error:
            if not is_known(error):
                raise
            status = response_for(error).http_status
            return render(request, "error.html", status if status >= 400 else 400, message=str(error))

    return Route(path, endpoint, name=f"web_{name}", methods=list(methods))


def web_router() -> Router:
    """Every page, and the static files under /static."""
    from api.web.pages import auditor, certifier, claims, flags, inbox, leader, public, sign_in, supplier

    routes: list[BaseRoute] = [
        *public.routes(),
        *sign_in.routes(),
        *leader.routes(),
        *supplier.routes(),
        *auditor.routes(),
        *certifier.routes(),
        *flags.routes(),
        *inbox.routes(),
        *claims.routes(),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    return Router(routes=routes)


def page_names(router: Router) -> list[str]:
    """The PAGE_RULES names of the router's pages."""
    return [route.name.removeprefix("web_") for route in router.routes if isinstance(route, Route)]


class WebPages:
    """ASGI middleware: page and /static requests go to the pages' router, the rest to the wrapped API app."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.router = web_router()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        allowed: list[str] = []
        for route in self.router.routes:
            match, child = route.matches(scope)
            if match is Match.FULL:
                try:
                    await route.handle({**scope, **child}, receive, send)
                except HTTPException as error:  # a missing static file: answered here, not by the API's handlers
                    await PlainTextResponse(str(error.detail), status_code=error.status_code)(scope, receive, send)
                return
            if match is Match.PARTIAL and isinstance(route, Route):
                allowed.extend(sorted(route.methods or ()))
        if allowed:
            response = PlainTextResponse("Method Not Allowed", 405, headers={"Allow": ", ".join(allowed)})
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)
