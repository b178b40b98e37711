"""The browser session: a bearer token of the identity service in an HttpOnly cookie, and CSRF tokens.

- ``tanji_session``: the token that /auth/token or /auth/siwe would have answered (same use cases), HttpOnly,
  SameSite=Lax, Secure when the request came over TLS, expiring with the token. Pages resolve it to a
  :class:`Principal` exactly as the API resolves a bearer token, so revoked clients and suspended members lose
  their pages too.
- ``tanji_csrf``: a random value per browser (HttpOnly, SameSite=Lax). Every form carries it in a hidden field and
  every form post must send both, equal (compared in constant time); it is renewed at sign-in and sign-out.
"""

from __future__ import annotations

import hmac
import secrets

from starlette.requests import Request
from starlette.responses import Response

from api.http.runtime import Runtime
from ledger.errors import LedgerError
from ledger.service.identity import Principal

SESSION_COOKIE = "tanji_session"
CSRF_COOKIE = "tanji_csrf"
CSRF_FIELD = "csrf_token"
CSRF_MAX_AGE = 8 * 3600


def principal_of(request: Request, runtime: Runtime) -> Principal | None:
    """The signed-in principal of the session cookie (cached on the request); None without a usable session."""
    if "web_principal" in request.scope:
        cached: Principal | None = request.scope["web_principal"]
        return cached
    token = request.cookies.get(SESSION_COOKIE)
    principal = None
    if token:
        try:
            principal = runtime.identity.authenticate(token)
        except LedgerError:  # expired, revoked or suspended: the visitor is simply not signed in any more
            principal = None
    request.scope["web_principal"] = principal
    return principal


def is_tls(request: Request) -> bool:
    """Did the request come over TLS (so cookies get the Secure attribute)?"""
    return request.url.scheme == "https"


def start_session(request: Request, response: Response, token: str, expires_in: int) -> None:
    """Keep `token` in the session cookie and give the browser a fresh CSRF token."""
    response.set_cookie(
        SESSION_COOKIE, token, max_age=expires_in, httponly=True, samesite="lax", secure=is_tls(request), path="/"
    )
    _set_csrf(request, response, secrets.token_urlsafe(32))


def end_session(request: Request, response: Response) -> None:
    """Forget the session and renew the CSRF token."""
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=is_tls(request))
    _set_csrf(request, response, secrets.token_urlsafe(32))


def csrf_token(request: Request) -> str:
    """The browser's CSRF token (a new one, remembered for the response, when it has none yet)."""
    token = request.cookies.get(CSRF_COOKIE) or request.scope.get("web_new_csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.scope["web_new_csrf"] = token
    return str(token)


def remember_csrf(request: Request, response: Response) -> None:
    """Set the CSRF cookie on `response` when this request made a new token."""
    token = request.scope.get("web_new_csrf")
    if token:
        _set_csrf(request, response, str(token))


def csrf_ok(request: Request, submitted: object) -> bool:
    """Does the form's token equal the browser's CSRF cookie?"""
    expected = request.cookies.get(CSRF_COOKIE)
    return bool(expected) and isinstance(submitted, str) and hmac.compare_digest(submitted, str(expected))


def _set_csrf(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        CSRF_COOKIE, token, max_age=CSRF_MAX_AGE, httponly=True, samesite="lax", secure=is_tls(request), path="/"
    )
