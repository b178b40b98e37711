"""FastAPI dependencies as Annotated aliases: the runtime, its settings, and the calling principal.

    def my_route(principal: CurrentPrincipal, runtime: RuntimeDep) -> MyModel: ...

`CurrentPrincipal` answers 401 without a valid bearer token; `OptionalPrincipal` is None without an Authorization
header (but a bad token is still 401, never silently anonymous). The principal is resolved once per request.

These dependencies are ``async``: FastAPI runs a sync dependency in the thread pool, one hop per dependency per
request, which costs more than they do. They never block the event loop: a principal comes from the identity
service's in-process caches when they know it, else from a thread (`run_in_threadpool`) that reads the store and
the chain.
"""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from api.http.runtime import Runtime
from api.settings import Settings
from ledger.errors import InvalidTokenError
from ledger.service.identity import Principal

_UNRESOLVED = object()


async def get_runtime(request: Request) -> Runtime:
    """The runtime the app was started with."""
    return cast(Runtime, request.app.state.runtime)


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


async def get_settings(runtime: RuntimeDep) -> Settings:
    """The settings the server runs with."""
    return runtime.settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


def bearer_token(request: Request) -> str | None:
    """The bearer token of the Authorization header; None without one; InvalidTokenError for another scheme."""
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise InvalidTokenError("the Authorization header must be 'Bearer <token>'; get a token from /auth/token")
    return token.strip()


async def resolve_principal(request: Request, runtime: Runtime) -> Principal | None:
    """The principal of the request's bearer token (None without one), resolved once and kept on the request."""
    cached = getattr(request.state, "principal", _UNRESOLVED)
    if cached is not _UNRESOLVED:
        return cast(Principal | None, cached)
    token = bearer_token(request)
    principal = None
    if token is not None:
        principal = runtime.identity.cached_principal(token)
        if principal is None:
            principal = await run_in_threadpool(runtime.identity.authenticate, token)
    request.state.principal = principal
    return principal


async def optional_principal(request: Request, runtime: RuntimeDep) -> Principal | None:
    """The caller, or None for an anonymous request."""
    return await resolve_principal(request, runtime)


OptionalPrincipal = Annotated[Principal | None, Depends(optional_principal)]


async def current_principal(request: Request, runtime: RuntimeDep) -> Principal:
    """The caller; 401 without a bearer token."""
    principal = await resolve_principal(request, runtime)
    if principal is None:
        raise InvalidTokenError("this route needs a bearer token (Authorization: Bearer ...); get one from /auth/token")
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
