"""OAuth2 client credentials (RFC 6749 section 4.4) as PACT requires: POST /auth/token and OpenID discovery.

Errors here are RFC 6749 section 5.2 objects (``{"error": "invalid_client", ...}``), not PACT error bodies.
"""

from __future__ import annotations

import base64
import binascii
from urllib.parse import parse_qs, unquote_plus

from fastapi import Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from api.http.deps import RuntimeDep
from api.http.routing import FORM, new_router
from api.http.schemas import OAuthError, OpenIdConfiguration, TokenResponse
from ledger.errors import InvalidClientError

router = new_router(tags=["auth"])
_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
_TOKEN_FORM = {
    "type": "object",
    "required": ["grant_type"],
    "properties": {"grant_type": {"type": "string", "enum": ["client_credentials"]}, "scope": {"type": "string"}},
}


def oauth_error(status: int, error: str, description: str) -> JSONResponse:
    """An RFC 6749 error response (401s name the Basic scheme, as RFC 6749 section 5.2 asks)."""
    headers = dict(_NO_STORE)
    if status == 401:
        headers["WWW-Authenticate"] = 'Basic realm="tanji"'
    body = OAuthError(error=error, error_description=description)  # type: ignore[arg-type]
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


def basic_credentials(header: str | None) -> tuple[str, str] | None:
    """(client id, secret) from an ``Authorization: Basic`` header, or None when absent or malformed."""
    scheme, _, value = (header or "").strip().partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    client_id, colon, secret = decoded.partition(":")
    return (unquote_plus(client_id), unquote_plus(secret)) if colon and client_id else None


def form_fields(body: bytes) -> dict[str, list[str]] | None:
    """The fields of a form-encoded body, or None when it cannot be decoded."""
    try:
        return parse_qs(body.decode("ascii"), keep_blank_values=True)
    except (UnicodeDecodeError, ValueError):
        return None


@router.post(
    "/auth/token",
    name="issue_token",
    summary="Action Authenticate: a bearer token for client credentials (HTTP Basic)",
    response_model=TokenResponse,
    responses={400: {"model": OAuthError}, 401: {"model": OAuthError}},
    openapi_extra={"requestBody": {"required": True, "content": {FORM: {"schema": _TOKEN_FORM}}}},
)
async def issue_token(request: Request, runtime: RuntimeDep) -> JSONResponse:
    """Exchange a client's id and secret (HTTP Basic) for a bearer token."""
    fields = form_fields(await request.body())
    if fields is None or any(len(values) > 1 for values in fields.values()):
        return oauth_error(400, "invalid_request", "the body must be a form with each parameter at most once")
    grant_type = (fields.get("grant_type") or [""])[0]
    if not grant_type:
        return oauth_error(400, "invalid_request", "grant_type is missing; send grant_type=client_credentials")
    if grant_type != "client_credentials":
        return oauth_error(400, "unsupported_grant_type", f"grant_type {grant_type!r} is not supported here")
    credentials = basic_credentials(request.headers.get("authorization"))
    if credentials is None:
        return oauth_error(401, "invalid_client", "client authentication failed: send HTTP Basic client_id:secret")
    try:
        issued = await run_in_threadpool(runtime.identity.token_for_client, *credentials)
    except InvalidClientError:
        return oauth_error(401, "invalid_client", "client authentication failed")
    body = TokenResponse(access_token=issued.token, expires_in=issued.expires_in)
    return JSONResponse(body.model_dump(), headers=_NO_STORE)


@router.get(
    "/.well-known/openid-configuration",
    name="openid_configuration",
    summary="OpenID provider configuration (token endpoint discovery)",
)
def openid_configuration(request: Request) -> OpenIdConfiguration:
    """Where to get tokens, under the base URL the client used."""
    base = str(request.base_url).rstrip("/")
    return OpenIdConfiguration(
        issuer=base,
        token_endpoint=f"{base}/auth/token",
        grant_types_supported=["client_credentials"],
        token_endpoint_auth_methods_supported=["client_secret_basic"],
        response_types_supported=["token"],
        subject_types_supported=["public"],
    )
