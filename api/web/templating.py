"""The Jinja2 environment of the pages and `render`: every template gets ``t`` (the request's translator), the
language, the principal, the CSRF token and the language-switch links.

Autoescaping is on for every template and undefined names are errors, so a typo never renders as empty text.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from api.web.i18n import LANG_COOKIE, LANGUAGES, Translator, choose_language, supported
from api.web.session import CSRF_FIELD, csrf_token, remember_csrf

TEMPLATES = Path(__file__).resolve().parent / "templates"
SECURITY_HEADERS = {
    # every script, style and font comes from this server; JSON data islands are not scripts
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


@cache
def environment() -> Environment:
    """The pages' Jinja2 environment (built once)."""
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def language_of(request: Request) -> str:
    """The language of `request` (see api.web.i18n.choose_language)."""
    return choose_language(
        request.query_params.get("lang"), request.cookies.get(LANG_COOKIE), request.headers.get("accept-language")
    )


def translator_of(request: Request) -> Translator:
    """The translator of the request's language."""
    return Translator(language_of(request))


def render(request: Request, template: str, status: int = 200, **values: Any) -> HTMLResponse:
    """`template` rendered for `request` with `values`, security headers, and the language and CSRF cookies."""
    language = language_of(request)
    switch = {code: str(request.url.include_query_params(lang=code)) for code in LANGUAGES}
    body = (
        environment()
        .get_template(template)
        .render(
            t=Translator(language),
            lang=language,
            languages=LANGUAGES,
            switch=switch,
            path=request.url.path,
            csrf_field=CSRF_FIELD,
            csrf=csrf_token(request),
            principal=request.scope.get("web_principal"),
            **values,
        )
    )
    response = HTMLResponse(body, status_code=status, headers=SECURITY_HEADERS)
    chosen = supported(request.query_params.get("lang"))
    if chosen is not None:
        response.set_cookie(LANG_COOKIE, chosen, max_age=365 * 86400, samesite="lax", path="/")
    remember_csrf(request, response)
    return response
