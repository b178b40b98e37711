"""GET /v1/health (public) and GET /v1/me (the principal), end to end over a real chain and store."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from api.http.runtime import Runtime

Bearer = Callable[[str], dict[str, str]]


def test_health_tells_the_chain_id_head_block_and_contracts(api_client: TestClient, api_runtime: Runtime) -> None:
    response = api_client.get("/v1/health")
    assert response.status_code == 200
    anchors = api_runtime.chain.trust_anchors
    body = response.json()
    assert body["chainId"] == anchors.chain_id and body["headBlock"] >= 1
    assert body["contracts"] == {
        "ledger": anchors.ledger,
        "attestations": anchors.attestations,
        "labels": anchors.labels,
    }


def test_me_names_the_organization_its_on_chain_id_and_roles(api_client: TestClient, bearer_for: Bearer) -> None:
    from ledger.organizations import org_id

    body = api_client.get("/v1/me", headers=bearer_for("leader")).json()
    assert body["organization"] == "leader" and body["orgId"] == "0x" + org_id("leader").hex()
    assert body["roles"] == ["chain-leader"] and body["address"] is None


def test_me_without_a_token_is_401(api_client: TestClient) -> None:
    response = api_client.get("/v1/me")
    assert response.status_code == 401 and response.headers["www-authenticate"].startswith("Bearer")


EMPTY_200 = {"v3_events", "v2_events"}
IMAGE_200 = {"label_qr_svg": "image/svg+xml", "label_qr_png": "image/png"}  # QR codes of label verification URLs


def test_the_openapi_document_types_every_response(api_client: TestClient) -> None:
    schema: dict[str, Any] = api_client.get("/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            success = next(status for status in operation["responses"] if status.startswith("2"))
            if operation["operationId"] in EMPTY_200:  # PACT Action Events: 200 with an empty body
                assert "content" not in operation["responses"]["200"], f"{method} {path} documents a 200 body"
            elif operation["operationId"] in IMAGE_200:
                (media_type,) = operation["responses"]["200"]["content"]
                assert media_type == IMAGE_200[operation["operationId"]], f"{method} {path} documents {media_type}"
                assert operation["responses"]["200"]["content"][media_type]["schema"]["type"] == "string"
            elif success != "204":  # 201 created, 202 accepted and 200 carry a typed body; 204 has none
                ok = operation["responses"][success]["content"]["application/json"]["schema"]
                assert "$ref" in ok, f"{method} {path} has an untyped {success} response"
            assert operation["responses"]["500"]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/PactError"
            }
    assert "HTTPValidationError" not in schema["components"]["schemas"]


def test_concurrent_requests_share_the_embedded_chain_safely(api_client: TestClient, bearer_for: Bearer) -> None:
    from concurrent.futures import ThreadPoolExecutor

    headers = bearer_for("audit")

    def call(index: int) -> int:
        path = "/v1/health" if index % 2 else "/v1/me"
        return api_client.get(path, headers=headers).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(call, range(48)))
    assert statuses == [200] * 48
