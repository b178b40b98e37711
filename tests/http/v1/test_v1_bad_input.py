"""Bad input to /v1: each a 4xx with a precise PACT error body, never a 5xx, never a partial write."""

from __future__ import annotations

import time
from typing import Any

from ledger.storage import directory


def grants_url(world: Any) -> str:
    return f"/v1/declarations/{world.own}/grants"


def assert_error(response: Any, status: int, code: str, words: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"code", "message"} and body["code"] == code
    assert words in body["message"], body["message"]


def test_malformed_json_is_400_naming_the_position(v1_world: Any, v1_client: Any) -> None:
    headers = {**v1_world.headers("acme"), "Content-Type": "application/json"}
    response = v1_client.post(grants_url(v1_world), content=b'{"recipient": "bank",', headers=headers)
    assert_error(response, 400, "BadRequest", "malformed JSON body")


def test_a_wrong_content_type_is_415(v1_world: Any, v1_client: Any) -> None:
    headers = {**v1_world.headers("acme"), "Content-Type": "text/plain"}
    response = v1_client.post(grants_url(v1_world), content=b"recipient=bank", headers=headers)
    assert_error(response, 415, "BadRequest", "application/json")


def test_unknown_fields_are_refused_where_the_body_is_strict(v1_world: Any, v1_client: Any) -> None:
    body = {"recipient": "bank", "expires": "never"}
    response = v1_client.post(grants_url(v1_world), json=body, headers=v1_world.headers("acme"))
    assert_error(response, 400, "BadRequest", "'expires'")
    relay = v1_client.post("/v1/transactions", json={"raw": "0x00"}, headers=v1_world.headers("acme"))
    assert_error(relay, 400, "BadRequest", "rawTransaction")


def test_huge_and_deep_bodies_are_refused_before_parsing(v1_world: Any, v1_client: Any) -> None:
    headers = {**v1_world.headers("acme"), "Content-Type": "application/json"}
    huge = b'{"recipient": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    assert v1_client.post(grants_url(v1_world), content=huge, headers=headers).status_code == 413
    deep = b"[" * 10_000 + b"]" * 10_000
    assert_error(v1_client.post("/v1/declarations", content=deep, headers=headers), 400, "BadRequest", "deep")


def test_bad_and_expired_tokens_are_401(v1_world: Any, v1_client: Any) -> None:
    bad = v1_client.get("/v1/declarations", headers={"Authorization": "Bearer tt_not-a-token"})
    assert_error(bad, 401, "BadRequest", "")
    assert bad.headers["WWW-Authenticate"].startswith("Bearer")
    token = v1_world.runtime.identity.issue_token(org="acme", method="client_credentials", subject="acme", ttl=1).token
    time.sleep(1.1)
    expired = v1_client.get("/v1/declarations", headers={"Authorization": f"Bearer {token}"})
    assert_error(expired, 401, "TokenExpired", "")
    basic = v1_client.get("/v1/declarations", headers={"Authorization": "Basic YTpi"})
    assert_error(basic, 401, "BadRequest", "Bearer")


def test_a_token_of_another_organization_cannot_act_for_the_declarant(v1_world: Any, v1_client: Any) -> None:
    response = v1_client.post(grants_url(v1_world), json={"recipient": "rival"}, headers=v1_world.headers("rival"))
    assert_error(response, 403, "AccessDenied", "only the declaring organization 'acme'")
    with v1_world.runtime.sessions() as session:
        assert "rival" not in {
            row.recipient for row in directory.access_grants_of(session=session, declaration_id=v1_world.own)
        }


def test_wrong_path_and_filter_types_are_400(v1_world: Any, v1_client: Any) -> None:
    headers = v1_world.headers("acme")
    assert_error(v1_client.get("/v1/transactions/params?address=acme", headers=headers), 400, "BadRequest", "address")
    assert_error(v1_client.get("/v1/organizations?limit=1.5"), 400, "BadRequest", "limit")
    assert_error(v1_client.get("/v1/declarations?status=1&limit=x", headers=headers), 400, "BadRequest", "status")


def test_unknown_ids_are_404(v1_world: Any, v1_client: Any) -> None:
    assert_error(v1_client.get("/v1/organizations/ghost-org"), 404, "NotFound", "ghost-org")
    assert_error(v1_client.get("/v1/declarations/0x" + "ab" * 32), 404, "NotFound", "0xabab")
    response = v1_client.delete(f"/v1/declarations/{v1_world.own}/grants/ghost-org", headers=v1_world.headers("acme"))
    assert_error(response, 404, "NotFound", "ghost-org")
