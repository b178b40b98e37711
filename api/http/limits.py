"""Request size and JSON nesting limits, enforced before anything parses the body.

:class:`BodyLimits` wraps the whole app (ASGI): it refuses a declared Content-Length over the limit at once (413),
reads the body while counting (413 as soon as it is too large), and for JSON bodies measures the nesting depth
with a scanner that never recurses (400 when too deep). Only then does it hand the buffered body on. So 100,000
nested arrays cost one linear scan and a clean 400, never a RecursionError in a JSON parser.
"""

from __future__ import annotations

import json
import re

import anyio.to_thread
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import pact_code_for_status
from api.http.routing import is_json_media_type, media_type_of

_TOKENS = re.compile(rb'\\.|["\[\]{}]', re.DOTALL)  # an escape pair, a quote or a bracket


def json_depth_exceeds(body: bytes, limit: int) -> bool:
    """Does the JSON text `body` nest arrays/objects deeper than `limit`? One linear pass, no recursion.

    Brackets inside strings do not count; escape pairs are consumed whole, so an escaped quote never ends a string.
    """
    if body.count(b"[") + body.count(b"{") <= limit:
        return False
    depth, in_string = 0, False
    for match in _TOKENS.finditer(body):
        token = match.group()
        if token == b'"':
            in_string = not in_string
        elif in_string or len(token) == 2:
            continue
        elif token in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


async def _depth_exceeds(body: bytes, limit: int) -> bool:
    """json_depth_exceeds, in a worker thread for large bodies so the event loop keeps serving others."""
    if len(body) < 65_536:
        return json_depth_exceeds(body, limit)
    return await anyio.to_thread.run_sync(json_depth_exceeds, body, limit)


async def send_pact_error(send: Send, status: int, message: str) -> None:
    """Send a PACT error response straight from ASGI (outside the app's exception handlers)."""
    body = json.dumps({"code": pact_code_for_status(status), "message": message}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class BodyLimits:
    """ASGI middleware: at most `max_bytes` of body, at most `max_depth` levels of JSON nesting."""

    def __init__(self, app: ASGIApp, *, max_bytes: int, max_depth: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_depth = max_depth

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the body, then call the app with the buffered body."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {key.lower(): value for key, value in scope.get("headers", [])}
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.strip().isdigit() or int(declared) > self.max_bytes):
            await send_pact_error(send, 413, self._too_large(declared.decode("latin-1")))
            return
        body = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.max_bytes:
                await send_pact_error(send, 413, self._too_large(f"more than {self.max_bytes}"))
                return
        media = media_type_of(headers.get(b"content-type", b"").decode("latin-1"))
        if body and is_json_media_type(media) and await _depth_exceeds(bytes(body), self.max_depth):
            await send_pact_error(
                send, 400, f"JSON body nested deeper than {self.max_depth} levels; flatten the document"
            )
            return
        await self.app(scope, _replay(bytes(body), receive), send)

    def _too_large(self, size: str) -> str:
        return f"request body of {size} bytes exceeds the limit of {self.max_bytes} bytes (TANJI_MAX_BODY_BYTES)"


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive callable that yields `body` once, then defers to the real one (for disconnects)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
