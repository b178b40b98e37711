"""`tanji bench api` building blocks: the load generator counts every request and every non-200 answer, and the
benchmark picks the best routes the server has."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn

from api.bench.api_load import LIST_LIMIT, _routes, baseline_app, load
from chain_tools.nodes import free_port


@pytest.fixture
def baseline_url() -> Iterator[str]:
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(baseline_app(), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(30)


def test_load_sends_exactly_the_bounded_number_of_requests(baseline_url: str) -> None:
    result = load(f"{baseline_url}/fixed", {}, total=120, concurrency=8, max_seconds=30)
    assert (result.requests, result.errors) == (120, 0)
    assert 0 < result.p50_ms <= result.p99_ms and result.rps > 0


def test_load_counts_answers_other_than_200_as_errors(baseline_url: str) -> None:
    result = load(f"{baseline_url}/missing?x=1", {"X-Probe": "1"}, total=30, concurrency=3, max_seconds=30)
    assert (result.requests, result.errors) == (30, 30)


def test_routes_prefer_pact_then_native_then_me() -> None:
    pact = _routes({"/3/footprints/{id}", "/3/footprints", "/v1/me"}, "abc")
    assert pact[:2] == ("/3/footprints/abc", f"/3/footprints?limit={LIST_LIMIT}") and "PACT" in pact[2]
    named = _routes({"/3/footprints/{footprint_id}", "/3/footprints", "/v1/declarations/{key}"}, "abc")
    assert named[:2] == ("/3/footprints/abc", f"/3/footprints?limit={LIST_LIMIT}")
    native = _routes({"/v1/declarations/{key}", "/v1/declarations", "/v1/me"}, "abc")
    assert native[:2] == ("/v1/declarations/abc", f"/v1/declarations?limit={LIST_LIMIT}")
    fallback = _routes({"/v1/me", "/v1/health"}, "abc")
    assert fallback[:2] == ("/v1/me", None) and "are served yet" in fallback[2]
