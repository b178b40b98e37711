"""Routers and routes of the API: every route checks its request's media type before the body is parsed.

Make routers with :func:`new_router`; a route's accepted media types are those of its body (``Body(media_type=...)``,
``application/json`` by default) or the keys of ``openapi_extra={"requestBody": {"content": {...}}}`` for routes that
read the body themselves (e.g. the form-encoded token endpoint). A body of another type gets 415 and is never parsed.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from enum import Enum
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException

from api.http.schemas import PactError

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"


def media_type_of(header: str | None) -> str:
    """The bare media type of a Content-Type header (``application/json; charset=utf-8`` -> ``application/json``)."""
    return (header or "").split(";", 1)[0].strip().lower()


def is_json_media_type(media_type: str) -> bool:
    """``application/json`` or any ``application/*+json`` (CloudEvents, problem+json, ...)."""
    return media_type == JSON or (media_type.startswith("application/") and media_type.endswith("+json"))


def accepted_media_types(route: APIRoute) -> frozenset[str]:
    """The media types a route accepts for its body (empty: it takes no body)."""
    declared = ((route.openapi_extra or {}).get("requestBody") or {}).get("content")
    if declared:
        return frozenset(str(media).lower() for media in declared)
    if route.body_field is None:
        return frozenset()
    media = str(getattr(route.body_field.field_info, "media_type", JSON)).lower()
    return frozenset({media, JSON}) if is_json_media_type(media) else frozenset({media})


def _has_body(request: Request) -> bool:
    length = request.headers.get("content-length")
    return bool(request.headers.get("transfer-encoding")) or (length is not None and length.strip() != "0")


class TanjiRoute(APIRoute):
    """An APIRoute that answers 415 to a body of a media type it does not accept."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """The framework's handler, behind the media-type check."""
        handler = super().get_route_handler()
        accepted = accepted_media_types(self)

        async def checked(request: Request) -> Response:
            media = media_type_of(request.headers.get("content-type"))
            if accepted and (media or _has_body(request)) and media not in accepted:
                raise HTTPException(
                    415,
                    f"content type {media or '(none)'!r} is not accepted here; send {' or '.join(sorted(accepted))}",
                )
            return await handler(request)

        return checked


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": PactError, "description": description}
    for status, description in (
        (400, "Bad request: malformed or invalid input, too deeply nested JSON"),
        (413, "Request body larger than the server accepts"),
        (415, "Unsupported content type"),
        (429, "Too many requests: retry after the Retry-After header's seconds"),
        (500, "Internal error"),
    )
}


def new_router(*, prefix: str = "", tags: list[str | Enum] | None = None) -> APIRouter:
    """An APIRouter whose routes are TanjiRoutes and document the PACT-shaped error responses."""
    return APIRouter(prefix=prefix, tags=tags, route_class=TanjiRoute, responses=ERROR_RESPONSES)
