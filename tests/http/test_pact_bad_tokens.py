"""Bad bearer tokens on every PACT route (/3 and /2 footprints and events) get exactly what the PACT conformance
cases expect (v3 and v2 cases 6, 7 and 16: 401 with ``{"code": "BadRequest", "message": "Invalid token provided"}``);
an expired token gets 401 TokenExpired (the spec's TokenExpiredResponse). Also: the in-process token cache never lets a
revoked, rotated or expired token through."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.http.app import create_app
from api.http.runtime import Runtime
from ledger.errors import InvalidTokenError, TokenExpiredError
from ledger.service.identity import IdentityService, token_digest
from ledger.service.token_cache import TokenCache

FORM = {"grant_type": "client_credentials"}
INVALID = {"code": "BadRequest", "message": "Invalid token provided"}
PUBLISHED_V3 = {
    "type": "org.wbcsd.pact.ProductFootprint.PublishedEvent.3",
    "specversion": "1.0",
    "id": "test-run-id-12345",
    "source": "https://webhook.example.com",
    "time": "2023-05-19T12:30:00Z",
    "data": {"pfIds": ["urn:gtin:4712345060507"]},
}
PACT_CALLS = [
    ("GET", "/3/footprints", None),
    ("GET", "/3/footprints/5f1c2a9e-0b7d-4c3e-9a61-8d2f4e7b1c05", None),
    ("POST", "/3/events", PUBLISHED_V3),
    ("GET", "/2/footprints", None),
    ("GET", "/2/footprints/5f1c2a9e-0b7d-4c3e-9a61-8d2f4e7b1c05", None),
    ("POST", "/2/events", {**PUBLISHED_V3, "type": "org.wbcsd.pathfinder.ProductFootprint.Published.v1"}),
]
CE = {"Content-Type": "application/cloudevents+json; charset=UTF-8"}


def call(client: TestClient, method: str, path: str, body: Any, authorization: str | None) -> Any:
    headers = {**CE, **({"Authorization": authorization} if authorization is not None else {})}
    return client.request(method, path, json=body, headers=headers)


def token_of(client: TestClient, runtime: Runtime, org: str = "leader") -> tuple[str, str]:
    issued = runtime.identity.create_client(org)
    answer = client.post("/auth/token", data=FORM, auth=(issued.client_id, issued.secret))
    return issued.client_id, answer.json()["access_token"]


@pytest.mark.parametrize(("method", "path", "body"), PACT_CALLS)
@pytest.mark.parametrize(
    "authorization", ["Bearer invalid-access-token", "Bearer " + "x" * 300, "Basic abc", "Bearer", None]
)
def test_an_invalid_or_missing_token_gets_exactly_the_conformance_body(
    api_client: TestClient, method: str, path: str, body: Any, authorization: str | None
) -> None:
    answer = call(api_client, method, path, body, authorization)
    assert answer.status_code == 401 and answer.json() == INVALID
    assert answer.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize(("method", "path", "body"), PACT_CALLS)
def test_a_revoked_clients_cached_token_is_refused_with_the_conformance_body(
    api_client: TestClient, api_runtime: Runtime, method: str, path: str, body: Any
) -> None:
    client_id, token = token_of(api_client, api_runtime)
    assert api_client.get("/3/footprints", headers={"Authorization": f"Bearer {token}"}).status_code == 200  # cached
    api_runtime.identity.revoke_client(client_id)
    answer = call(api_client, method, path, body, f"Bearer {token}")
    assert answer.status_code == 401 and answer.json() == INVALID


@pytest.mark.parametrize(("method", "path", "body"), PACT_CALLS)
def test_an_expired_token_gets_token_expired(
    api_client: TestClient, api_runtime: Runtime, method: str, path: str, body: Any
) -> None:
    _, token = token_of(api_client, api_runtime)
    later = IdentityService(
        api_runtime.sessions,
        api_runtime.directory,
        token_ttl=api_runtime.settings.token_ttl_seconds,
        clock=lambda: api_runtime.identity.clock() + api_runtime.settings.token_ttl_seconds + 1,
    )
    app = create_app(api_runtime.settings, runtime=dataclasses.replace(api_runtime, identity=later))
    with TestClient(app, base_url="https://tanji.test") as client:
        answer = call(client, method, path, body, f"Bearer {token}")
    assert answer.status_code == 401 and answer.json()["code"] == "TokenExpired"
    assert "expired at" in answer.json()["message"]


def test_the_native_api_keeps_its_explaining_message(api_client: TestClient) -> None:
    answer = api_client.get("/v1/me", headers={"Authorization": "Bearer invalid-access-token"})
    assert answer.status_code == 401 and answer.json()["code"] == "BadRequest"
    assert "unknown or revoked" in answer.json()["message"]


def test_a_rotated_secrets_cached_token_is_refused_at_once(api_client: TestClient, api_runtime: Runtime) -> None:
    client_id, token = token_of(api_client, api_runtime)
    assert api_runtime.identity.authenticate(token).client_id == client_id
    assert api_runtime.identity.token_cache.get(token_digest(token)) is not None  # now served from the cache
    api_runtime.identity.rotate_client(client_id)
    assert api_runtime.identity.token_cache.get(token_digest(token)) is None
    with pytest.raises(InvalidTokenError):
        api_runtime.identity.authenticate(token)


def test_a_token_revoked_by_another_process_is_refused_once_the_cache_bound_passes(
    api_client: TestClient, api_runtime: Runtime
) -> None:
    now = [1000.0]
    server = IdentityService(api_runtime.sessions, api_runtime.directory, token_ttl=3600)
    server.token_cache = TokenCache(ttl=1.0, clock=lambda: now[0])
    operator_cli = IdentityService(api_runtime.sessions, api_runtime.directory, token_ttl=3600)
    client_id, token = token_of(api_client, api_runtime)
    assert server.authenticate(token).client_id == client_id
    operator_cli.revoke_client(client_id)  # another process: this server's cache does not hear of it
    now[0] += 0.5
    assert server.authenticate(token).client_id == client_id  # within the documented bound (1 s)
    now[0] += 0.6
    with pytest.raises(InvalidTokenError):
        server.authenticate(token)


def test_an_expired_token_is_refused_even_from_the_cache(api_client: TestClient, api_runtime: Runtime) -> None:
    moment = [api_runtime.identity.clock()]
    server = IdentityService(
        api_runtime.sessions, api_runtime.directory, token_ttl=3600, clock=lambda: moment[0], token_cache_seconds=3600
    )
    _, token = token_of(api_client, api_runtime)
    expires_at = server.authenticate(token).expires_at
    moment[0] = expires_at
    with pytest.raises(TokenExpiredError):
        server.authenticate(token)


def test_the_token_cache_is_bounded() -> None:
    from ledger.service.token_cache import TokenRecord

    cache = TokenCache(ttl=60, size=3)
    for index in range(5):
        cache.put(f"hash-{index}", TokenRecord("acme", "client_credentials", f"tc_{index}", 2**40))
    assert len(cache) == 3 and cache.get("hash-0") is None and cache.get("hash-4") is not None
