"""OAuth2 client credentials as PACT v3 specifies: POST /auth/token with HTTP Basic, RFC 6749 error bodies."""

from __future__ import annotations

import dataclasses
import hashlib

from fastapi.testclient import TestClient
from sqlmodel import select

from api.http.app import create_app
from api.http.runtime import Runtime
from ledger.service.identity import IdentityService
from ledger.storage.tables import ApiClientRow, ApiTokenRow

FORM = {"grant_type": "client_credentials"}


def _token(client: TestClient, client_id: str, secret: str, data: dict[str, str] | None = None) -> object:
    return client.post("/auth/token", data=FORM if data is None else data, auth=(client_id, secret))


def test_valid_credentials_get_a_bearer_token_that_opens_v1_me(api_client: TestClient, api_runtime: Runtime) -> None:
    issued = api_runtime.identity.create_client("acme")
    response = api_client.post("/auth/token", data=FORM, auth=(issued.client_id, issued.secret))
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == api_runtime.settings.token_ttl_seconds
    assert response.headers["cache-control"] == "no-store"
    me = api_client.get("/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200
    assert me.json()["organization"] == "acme" and me.json()["clientId"] == issued.client_id
    assert me.json()["roles"] == ["supplier"] and me.json()["method"] == "client_credentials"


def test_wrong_secret_is_invalid_client(api_client: TestClient, api_runtime: Runtime) -> None:
    issued = api_runtime.identity.create_client("acme")
    response = api_client.post("/auth/token", data=FORM, auth=(issued.client_id, issued.secret + "x"))
    assert response.status_code == 401
    assert response.json() == {"error": "invalid_client", "error_description": "client authentication failed"}
    assert response.headers["www-authenticate"].startswith("Basic")


def test_unknown_client_and_wrong_secret_get_the_same_answer(api_client: TestClient, api_runtime: Runtime) -> None:
    issued = api_runtime.identity.create_client("acme")
    unknown = api_client.post("/auth/token", data=FORM, auth=("tc_0000000000000000", issued.secret))
    wrong = api_client.post("/auth/token", data=FORM, auth=(issued.client_id, "not-the-secret"))
    assert (unknown.status_code, unknown.json()) == (wrong.status_code, wrong.json())


def test_missing_or_malformed_basic_credentials_are_invalid_client(api_client: TestClient) -> None:
    for headers in ({}, {"Authorization": "Basic !!!not-base64"}, {"Authorization": "Bearer abc"}):
        response = api_client.post("/auth/token", data=FORM, headers=headers)
        assert response.status_code == 401, headers
        assert response.json()["error"] == "invalid_client"


def test_a_grant_type_other_than_client_credentials_is_unsupported(
    api_client: TestClient, api_runtime: Runtime
) -> None:
    issued = api_runtime.identity.create_client("acme")
    response = api_client.post("/auth/token", data={"grant_type": "password"}, auth=(issued.client_id, issued.secret))
    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"
    missing = api_client.post("/auth/token", data={"scope": "x"}, auth=(issued.client_id, issued.secret))
    assert missing.status_code == 400 and missing.json()["error"] == "invalid_request"


def test_a_repeated_form_parameter_is_an_invalid_request(api_client: TestClient, api_runtime: Runtime) -> None:
    issued = api_runtime.identity.create_client("acme")
    response = api_client.post(
        "/auth/token",
        content=b"grant_type=client_credentials&grant_type=client_credentials",
        headers={"content-type": "application/x-www-form-urlencoded"},
        auth=(issued.client_id, issued.secret),
    )
    assert response.status_code == 400 and response.json()["error"] == "invalid_request"


def test_a_json_token_request_is_refused_as_unsupported_media_type(api_client: TestClient) -> None:
    response = api_client.post("/auth/token", json=FORM)
    assert response.status_code == 415
    assert response.json()["code"] == "BadRequest" and "application/x-www-form-urlencoded" in response.json()["message"]


def test_rotation_revokes_the_old_secret_and_its_tokens(api_client: TestClient, api_runtime: Runtime) -> None:
    issued = api_runtime.identity.create_client("acme")
    old_token = api_client.post("/auth/token", data=FORM, auth=(issued.client_id, issued.secret)).json()
    rotated = api_runtime.identity.rotate_client(issued.client_id)
    assert rotated.secret != issued.secret and rotated.client_id == issued.client_id
    assert api_client.post("/auth/token", data=FORM, auth=(issued.client_id, issued.secret)).status_code == 401
    old = api_client.get("/v1/me", headers={"Authorization": f"Bearer {old_token['access_token']}"})
    assert old.status_code == 401 and old.json()["code"] == "BadRequest"
    assert api_client.post("/auth/token", data=FORM, auth=(issued.client_id, rotated.secret)).status_code == 200


def test_a_revoked_client_gets_no_token_and_its_tokens_stop(api_client: TestClient, api_runtime: Runtime) -> None:
    issued = api_runtime.identity.create_client("acme")
    token = api_client.post("/auth/token", data=FORM, auth=(issued.client_id, issued.secret)).json()["access_token"]
    api_runtime.identity.revoke_client(issued.client_id)
    assert api_client.post("/auth/token", data=FORM, auth=(issued.client_id, issued.secret)).status_code == 401
    assert api_client.get("/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    listed = {c.client_id: c for c in api_runtime.identity.clients("acme")}
    assert listed[issued.client_id].revoked


def test_an_expired_token_is_refused_with_the_pact_token_expired_code(api_runtime: Runtime) -> None:
    issued = api_runtime.identity.create_client("acme")
    token = api_runtime.identity.token_for_client(issued.client_id, issued.secret).token
    later = IdentityService(
        api_runtime.sessions,
        api_runtime.directory,
        token_ttl=api_runtime.settings.token_ttl_seconds,
        clock=lambda: api_runtime.identity.clock() + api_runtime.settings.token_ttl_seconds + 1,
    )
    app = create_app(api_runtime.settings, runtime=dataclasses.replace(api_runtime, identity=later))
    with TestClient(app, base_url="https://tanji.test") as client:
        response = client.get("/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert response.json()["code"] == "TokenExpired" and "expired at" in response.json()["message"]


def test_invalid_bearer_tokens_get_401_with_a_pact_body(api_client: TestClient) -> None:
    for header in ("Bearer invalid-access-token", "Bearer " + "x" * 300, "Basic abc", "Bearer"):
        response = api_client.get("/v1/me", headers={"Authorization": header})
        assert response.status_code == 401, header
        assert response.json()["code"] == "BadRequest" and response.headers["www-authenticate"].startswith("Bearer")


def test_token_is_stored_only_as_its_hash(api_client: TestClient, api_runtime: Runtime) -> None:
    issued = api_runtime.identity.create_client("acme")
    token = api_client.post("/auth/token", data=FORM, auth=(issued.client_id, issued.secret)).json()["access_token"]
    with api_runtime.sessions() as session:
        rows = list(session.exec(select(ApiTokenRow).where(ApiTokenRow.subject == issued.client_id)))
    assert [row.token_hash for row in rows] == [hashlib.sha256(token.encode()).hexdigest()]


def test_client_secret_is_stored_salted_and_hashed(api_runtime: Runtime) -> None:
    first, second = api_runtime.identity.create_client("acme"), api_runtime.identity.create_client("acme")
    with api_runtime.sessions() as session:
        stored = [session.get(ApiClientRow, c.client_id) for c in (first, second)]
    hashes = [row.secret_hash for row in stored if row is not None]
    assert len(hashes) == 2 and all(h.startswith("scrypt$") for h in hashes)
    assert first.secret not in hashes[0] and hashes[0].split("$")[4] != hashes[1].split("$")[4]  # per-secret salt


def test_openid_configuration_names_the_token_endpoint_under_the_url_the_client_used(api_client: TestClient) -> None:
    config = api_client.get("/.well-known/openid-configuration").json()
    assert config["token_endpoint"] == "https://tanji.test/auth/token"
    assert config["grant_types_supported"] == ["client_credentials"]


def test_a_client_of_an_unregistered_organization_cannot_be_created(api_runtime: Runtime) -> None:
    import pytest

    from ledger.errors import NotFoundError

    with pytest.raises(NotFoundError, match="'nobody' is not registered"):
        api_runtime.identity.create_client("nobody")
