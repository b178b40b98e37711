"""`create_app(settings)`: the FastAPI application over one runtime.

The app is assembled here and nowhere else: routers (api.http.routes), the authorization dependency every route
runs (api.http.authorization), error handlers (api.http.error_handlers), the OpenAPI security description
(api.http.openapi), the body limits (api.http.limits) and the web pages (api.web.site.WebPages). The runtime is
opened in the lifespan, or injected.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import ExitStack, asynccontextmanager
from importlib.metadata import PackageNotFoundError, version

from fastapi import Depends, FastAPI
from fastapi.routing import APIRoute

from api.errors import RouteWithoutRuleError
from api.http.anchor_loop import AnchorLoop
from api.http.authorization import RULES, authorize, routes_without_rule
from api.http.error_handlers import install_error_handlers
from api.http.limits import BodyLimits
from api.http.openapi import install_openapi
from api.http.rate_limit import RateLimiter
from api.http.routes import all_routers
from api.http.runtime import Runtime
from api.settings import Settings, get_settings
from api.web.site import WebPages

DESCRIPTION = (
    "Tanji (碳迹): product carbon footprints signed by their suppliers and anchored on chain. "
    "PACT v3 host system and the native /v1 API. Sign in with OAuth2 client credentials (POST /auth/token) "
    "or with Ethereum (GET /auth/siwe/nonce, POST /auth/siwe); send the token as `Authorization: Bearer ...`."
)


def operation_id(route: APIRoute) -> str:
    """A route's OpenAPI operation id is its name (which is also its key in the authorization table)."""
    return route.name


def _version() -> str:
    try:
        return version("tanji")
    except PackageNotFoundError:
        return "0.0.0"


def create_app(settings: Settings, *, runtime: Runtime | None = None) -> FastAPI:
    """The HTTP API over `runtime`, or over a runtime opened on `settings` for the app's lifetime."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from api.compose import open_runtime

        with ExitStack() as stack:
            active = runtime or stack.enter_context(open_runtime(settings))
            app.state.runtime = active
            if settings.anchor_loop:
                loop = AnchorLoop(active.anchoring, poll=settings.anchor_poll_seconds)
                loop.start()
                stack.callback(loop.stop)
            yield

    app = FastAPI(
        title="Tanji",
        version=_version(),
        description=DESCRIPTION,
        lifespan=lifespan,
        dependencies=[Depends(authorize)],
        generate_unique_id_function=operation_id,
    )
    if runtime is not None:
        app.state.runtime = runtime
    app.state.rules = dict(RULES)
    app.state.rate_limiter = RateLimiter(settings.rate_limit_per_minute)
    for router in all_routers():
        app.include_router(router)
    missing = routes_without_rule(app, app.state.rules)
    if missing:
        raise RouteWithoutRuleError(
            f"routes without a row in api/http/authorization.py RULES: {', '.join(missing)}; add one per route"
        )
    install_error_handlers(app)
    install_openapi(app)
    app.add_middleware(WebPages)  # the web pages (api/web), in front of the API's routes
    app.add_middleware(BodyLimits, max_bytes=settings.max_body_bytes, max_depth=settings.max_json_depth)
    return app


def create_app_from_environment() -> FastAPI:
    """The app of a worker process (`tanji serve --workers N`): settings from the TANJI_* environment."""
    return create_app(get_settings())
