"""One HTTP(S) connection to a Tanji server: JSON requests, PACT error bodies turned into typed errors, a session
token sent as ``Authorization: Bearer`` and renewed once when the server refuses it."""

from __future__ import annotations

from typing import Any, Protocol

import httpx

from api.cli.remote.errors import RemoteNotAuthenticatedError, RemoteUnavailableError, error_for_status

USER_AGENT = "tanji-cli"


class Authenticator(Protocol):
    """Gives a session token for a connection, and a new one when the server refused the last."""

    def token(self, connection: ServerConnection) -> str: ...

    def renew(self, connection: ServerConnection) -> str: ...


class ServerConnection:
    """Requests to the server at `base_url` (`http` replaces the HTTP client, e.g. a test transport)."""

    def __init__(
        self,
        base_url: str,
        *,
        authenticator: Authenticator | None = None,
        http: httpx.Client | None = None,
        timeout: float = 60.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.authenticator = authenticator
        self.http = http or httpx.Client(base_url=self.base_url, timeout=timeout, headers={"User-Agent": USER_AGENT})

    def close(self) -> None:
        """Close the HTTP client."""
        self.http.close()

    def __enter__(self) -> ServerConnection:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def get(self, path: str, *, params: dict[str, Any] | None = None, signed_in: bool = True) -> Any:
        """GET `path`; the decoded JSON answer."""
        return self.request("GET", path, params=params, signed_in=signed_in)

    def post(self, path: str, body: Any, *, signed_in: bool = True) -> Any:
        """POST `body` as JSON to `path`; the decoded JSON answer (None when empty)."""
        return self.request("POST", path, body=body, signed_in=signed_in)

    def request(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        params: dict[str, Any] | None = None,
        signed_in: bool = True,
    ) -> Any:
        """Send one request (signed in when `signed_in` and an authenticator is set); RemoteError on a refusal."""
        token = self.authenticator.token(self) if signed_in and self.authenticator else None
        response = self._send(method, path, body, params, token)
        if response.status_code == 401 and token is not None and self.authenticator is not None:
            response = self._send(method, path, body, params, self.authenticator.renew(self))
        if response.status_code >= 400:
            raise self._refusal(method, path, response)
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError as exc:
            raise RemoteUnavailableError(
                f"{method} {self.base_url}{path} answered {response.status_code} with a body that is not JSON; "
                "is --server the URL of a Tanji server?",
                status=response.status_code,
            ) from exc

    def _send(
        self, method: str, path: str, body: Any, params: dict[str, Any] | None, token: str | None
    ) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        try:
            return self.http.request(method, path, json=body, params=params, headers=headers)
        except httpx.HTTPError as exc:
            raise RemoteUnavailableError(
                f"cannot reach the Tanji server at {self.base_url} ({type(exc).__name__}: {exc}); "
                "check --server / TANJI_SERVER and that the server is running"
            ) from exc

    def _refusal(self, method: str, path: str, response: httpx.Response) -> Exception:
        try:
            body = response.json()
        except ValueError:
            body = None
        if isinstance(body, dict) and isinstance(body.get("message"), str):
            message, code = body["message"], str(body.get("code", ""))
        else:
            message, code = response.text[:300] or response.reason_phrase, ""
        text = f"the server refused {method} {path} ({response.status_code}{' ' + code if code else ''}): {message}"
        if response.status_code == 401:
            return RemoteNotAuthenticatedError(
                f"{text}; sign in with --wallet NAME --org HANDLE (a key of that organization)",
                status=401,
                code=code,
            )
        return error_for_status(response.status_code, text, code)
