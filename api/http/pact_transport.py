"""The HTTP client side of PACT callbacks (ledger.service.pact_delivery.EventTransport) over the standard library.

Tokens come from the recipient's token endpoint (OAuth2 client credentials, HTTP Basic); events are POSTed as
``application/cloudevents+json; charset=UTF-8``. Redirects are not followed and every call has a timeout.
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import quote

from ledger.errors import DeliveryError


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class UrllibTransport:
    """Obtains tokens and posts events with urllib, `timeout` seconds a call."""

    def __init__(self, timeout: float = 5.0) -> None:
        self.timeout = timeout
        self._opener = urllib.request.build_opener(_NoRedirect())

    def _call(self, request: urllib.request.Request) -> bytes:
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                body: bytes = response.read(1 << 20)
                return body
        except urllib.error.HTTPError as exc:
            raise DeliveryError(f"{request.get_method()} {request.full_url} answered {exc.code}") from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise DeliveryError(f"{request.get_method()} {request.full_url} failed: {exc}") from None

    def fetch_token(self, token_url: str, client_id: str, client_secret: str) -> str:
        """An access token by the client credentials grant."""
        basic = base64.b64encode(f"{quote(client_id, safe='')}:{quote(client_secret, safe='')}".encode()).decode()
        request = urllib.request.Request(
            token_url,
            data=b"grant_type=client_credentials",
            method="POST",
            headers={
                "Authorization": f"Basic {basic}",
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
            },
        )
        try:
            token = json.loads(self._call(request))["access_token"]
        except (KeyError, TypeError, ValueError):
            raise DeliveryError(f"{token_url} answered without an access_token") from None
        if not isinstance(token, str) or not token:
            raise DeliveryError(f"{token_url} answered an empty access_token")
        return token

    def post_event(self, url: str, token: str, event: dict[str, Any]) -> None:
        """POST one CloudEvent."""
        request = urllib.request.Request(
            url,
            data=json.dumps(event).encode(),
            method="POST",
            headers={
                "Authorization": f"Bearer {token}",
                "Content-Type": "application/cloudevents+json; charset=UTF-8",
            },
        )
        self._call(request)
