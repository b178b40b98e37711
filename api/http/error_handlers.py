"""Every failure becomes a PACT error body ``{"code": ..., "message": ...}`` with the status of its kind.

- Tanji errors (ledger, chain_tools, api): their row of the error table (`api.errors.response_for`).
- Request validation (FastAPI): 400 BadRequest naming the field and the problem.
- Framework HTTP errors (404, 405, 415, 429, ...): their status, with `api.errors.pact_code_for_status`.
- Anything else: 500 InternalError with a generic message; the details go to the server log, never to the caller.

401 answers carry ``WWW-Authenticate: Bearer`` (RFC 6750). No handler echoes headers, tokens or bodies.

On the PACT routes (/2/..., /3/...) a missing, malformed, unknown or revoked bearer token gets exactly the body the
PACT conformance cases expect (v2 and v3 cases 6, 7 and 16): 401 ``{"code": "BadRequest", "message": "Invalid token
provided"}``; an expired one 401 ``TokenExpired`` (the spec's TokenExpiredResponse). The native API keeps the
explaining messages.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from api.errors import ApiError, pact_code_for_status, pact_error_body, response_for
from chain_tools.errors import ChainToolsError
from ledger.errors import InvalidTokenError, LedgerError

log = logging.getLogger("tanji.http")
_MAX_REPORTED_PROBLEMS = 5
PACT_PATH_PREFIXES = ("/2/", "/3/")
PACT_INVALID_TOKEN = "Invalid token provided"


def pact_response(status: int, code: str, message: str, headers: Mapping[str, str] | None = None) -> JSONResponse:
    """A PACT error response."""
    extra = dict(headers or {})
    if status == 401:
        extra.setdefault("WWW-Authenticate", 'Bearer realm="tanji"')
    return JSONResponse({"code": code, "message": message}, status_code=status, headers=extra)


def _where(request: Request) -> str:
    return f"{request.method} {request.url.path}"


async def on_tanji_error(request: Request, exc: Exception) -> JSONResponse:
    """A domain error: its status and PACT code from the error table."""
    response = response_for(exc)
    if response.http_status >= 500:
        log.error("%s failed: %s: %s", _where(request), type(exc).__name__, exc, exc_info=exc)
    body = pact_error_body(exc)
    if isinstance(exc, InvalidTokenError) and request.url.path.startswith(PACT_PATH_PREFIXES):
        body["message"] = PACT_INVALID_TOKEN
    return pact_response(response.http_status, body["code"], body["message"])


def describe_validation_errors(errors: list[Any]) -> str:
    """``query parameter 'limit': Input should be a valid integer; ...`` from FastAPI's error list."""
    places = {"query": "query parameter", "path": "path parameter", "header": "header", "cookie": "cookie"}
    parts = []
    for error in errors[:_MAX_REPORTED_PROBLEMS]:
        loc = [str(part) for part in error.get("loc", ())]
        if error.get("type") == "json_invalid":
            parts.append(
                f"malformed JSON body at character {loc[-1] if loc else '?'}: {error.get('ctx', {}).get('error')}"
            )
            continue
        source, field = (loc[0], ".".join(loc[1:])) if loc else ("request", "")
        where = f"{places.get(source, 'body field')} {field!r}" if field else "request body"
        parts.append(f"{where}: {error.get('msg', 'invalid')}")
    more = len(errors) - _MAX_REPORTED_PROBLEMS
    return "; ".join(parts) + (f" (and {more} more)" if more > 0 else "")


async def on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    """400 BadRequest naming each invalid field."""
    assert isinstance(exc, RequestValidationError)
    return pact_response(400, "BadRequest", describe_validation_errors(list(exc.errors())))


async def on_http_error(request: Request, exc: Exception) -> JSONResponse:
    """A framework error (unknown route, method not allowed, 415, 429, ...), with its headers (Retry-After)."""
    assert isinstance(exc, HTTPException)
    return pact_response(exc.status_code, pact_code_for_status(exc.status_code), str(exc.detail), exc.headers)


async def on_unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    """500 InternalError; the caller learns nothing more, the log gets the traceback."""
    log.error("%s failed unexpectedly: %s", _where(request), type(exc).__name__, exc_info=exc)
    return pact_response(500, "InternalError", "internal error")


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers above on `app`."""
    for tanji_error in (LedgerError, ChainToolsError, ApiError):
        app.add_exception_handler(tanji_error, on_tanji_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(HTTPException, on_http_error)
    app.add_exception_handler(Exception, on_unexpected_error)
