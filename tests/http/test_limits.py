"""Body size, JSON depth, content type and rate limits: each refused cleanly before anything parses the body."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.http.app import create_app
from api.http.limits import json_depth_exceeds
from api.http.rate_limit import RateLimiter
from api.http.runtime import Runtime

SIWE_BODY = {"message": "x", "signature": "0x" + "00" * 65, "organization": "acme"}


@pytest.fixture
def limited_client(api_runtime: Runtime) -> Iterator[TestClient]:
    """A client of an app allowing 3 requests per minute per caller."""
    settings = api_runtime.settings.with_overrides(rate_limit_per_minute=3)
    with TestClient(create_app(settings, runtime=api_runtime), base_url="https://tanji.test") as client:
        yield client


def test_a_body_over_the_size_limit_gets_413(api_client: TestClient, api_runtime: Runtime) -> None:
    size = api_runtime.settings.max_body_bytes + 1
    response = api_client.post("/auth/siwe", content=b" " * size, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert (
        response.json()["code"] == "BadRequest"
        and str(api_runtime.settings.max_body_bytes) in response.json()["message"]
    )


def test_a_streamed_body_over_the_size_limit_gets_413_without_a_content_length(
    api_client: TestClient, api_runtime: Runtime
) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(api_runtime.settings.max_body_bytes // 65536 + 2):
            yield b" " * 65536

    response = api_client.post("/auth/siwe", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413


@pytest.mark.parametrize("opening", [b"[", b'{"a":'])
def test_deeply_nested_json_is_refused_before_parsing(api_client: TestClient, opening: bytes) -> None:
    closing = b"]" if opening == b"[" else b"}"
    body = opening * 100_000 + b"1" + closing * 100_000
    response = api_client.post("/auth/siwe", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json() == {
        "code": "BadRequest",
        "message": "JSON body nested deeper than 64 levels; flatten the document",
    }


def test_deep_json_under_another_json_media_type_is_refused_too(api_client: TestClient) -> None:
    response = api_client.post(
        "/auth/siwe", content=b"[" * 1000, headers={"content-type": "application/cloudevents+json"}
    )
    assert response.status_code == 400


def test_brackets_inside_strings_do_not_count_as_nesting() -> None:
    assert not json_depth_exceeds(b'{"message": "' + b"[" * 500 + b'"}', 64)
    assert not json_depth_exceeds(b'["\\"[[[[[", [[]]]', 3)
    assert json_depth_exceeds(b'["\\"", [[[]]]]', 3)


def test_a_nested_but_allowed_body_reaches_validation(api_client: TestClient) -> None:
    body = {**SIWE_BODY, "message": {"a": [[[["deep but allowed"]]]]}}
    response = api_client.post("/auth/siwe", json=body)
    assert response.status_code == 400 and "'message'" in response.json()["message"]


@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", "application/x-www-form-urlencoded", None])
def test_a_body_of_an_unaccepted_content_type_gets_415(api_client: TestClient, content_type: str | None) -> None:
    headers = {"content-type": content_type} if content_type else {}
    response = api_client.post("/auth/siwe", content=b'{"message": "x"}', headers=headers)
    assert response.status_code == 415
    assert response.json()["code"] == "BadRequest" and "application/json" in response.json()["message"]


def test_malformed_json_is_a_bad_request_naming_the_position(api_client: TestClient) -> None:
    response = api_client.post("/auth/siwe", content=b'{"message": ', headers={"content-type": "application/json"})
    assert response.status_code == 400 and "malformed JSON body at character" in response.json()["message"]


def test_the_rate_limit_answers_429_with_retry_after(limited_client: TestClient) -> None:
    statuses = [limited_client.get("/v1/health").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = limited_client.get("/v1/health")
    assert refused.json()["code"] == "BadRequest" and int(refused.headers["retry-after"]) >= 1


def test_the_rate_limit_is_kept_per_authenticated_client(limited_client: TestClient, api_runtime: Runtime) -> None:
    def bearer() -> dict[str, str]:
        issued = api_runtime.identity.create_client("acme")
        token = api_runtime.identity.token_for_client(issued.client_id, issued.secret).token
        return {"Authorization": f"Bearer {token}"}

    first, second = bearer(), bearer()
    assert [limited_client.get("/v1/me", headers=first).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert limited_client.get("/v1/me", headers=second).status_code == 200


def test_guessing_tokens_is_rate_limited_by_address(limited_client: TestClient) -> None:
    statuses = [
        limited_client.get("/v1/me", headers={"Authorization": f"Bearer guess{i}"}).status_code for i in range(4)
    ]
    assert statuses == [401, 401, 401, 429]


def test_a_bucket_refills_with_time() -> None:
    now: list[float] = [0.0]
    limiter = RateLimiter(60, clock=lambda: now[0])
    for _ in range(60):
        limiter.charge("k")
    with pytest.raises(Exception, match="retry in 1 s"):
        limiter.charge("k")
    now[0] += 2.0
    limiter.charge("k")  # two tokens back after two seconds at one per second


def test_depth_scan_of_a_megabyte_is_fast_enough() -> None:
    body: Any = b"[]" * 500_000
    start = time.perf_counter()
    assert not json_depth_exceeds(body, 64)
    assert time.perf_counter() - start < 5.0
