"""Errors reach callers as PACT error bodies with the status of their kind; nothing else leaks."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.http.app import create_app
from api.http.authorization import PUBLIC
from api.http.routing import new_router
from api.http.runtime import Runtime
from chain_tools.errors import WorkspaceMissingError
from ledger import errors

RAISED: dict[str, BaseException] = {
    "not-found": errors.DeclarationNotFoundError("no declaration 'x' in this ledger"),
    "conflict": errors.DeclarationNotAnchoredError("declaration 'x' is not anchored yet"),
    "not-allowed": errors.AccessDeniedError("organization 'bank' may not read 'x'"),
    "invalid": errors.UnknownRoleError("unknown role 'emperor'"),
    "unavailable": errors.ChainUnavailableError("chain unavailable: connection refused"),
    "expired": errors.TokenExpiredError("bearer token expired"),
    "chain-tools": WorkspaceMissingError("no Tanji workspace at /srv/x"),
    "bug": RuntimeError("password=hunter2 in /etc/secret"),
}


def app_with_probe(runtime: Runtime) -> FastAPI:
    """The app plus a public probe route raising RAISED[kind]."""
    app = create_app(runtime.settings, runtime=runtime)
    router = new_router(prefix="/probe")

    @router.get("/raise/{kind}", name="probe_raise")
    def probe_raise(kind: str) -> dict[str, str]:
        raise RAISED[kind]

    @router.get("/typed", name="probe_typed")
    def probe_typed(limit: int) -> dict[str, int]:
        return {"limit": limit}

    app.include_router(router)
    app.state.rules.update(probe_raise=PUBLIC, probe_typed=PUBLIC)
    return app


@pytest.fixture
def probe(api_runtime: Runtime) -> Iterator[TestClient]:
    with TestClient(app_with_probe(api_runtime), raise_server_exceptions=False) as client:
        yield client


@pytest.mark.parametrize(
    ("kind", "status", "code"),
    [
        ("not-found", 404, "NotFound"),
        ("conflict", 409, "BadRequest"),
        ("not-allowed", 403, "AccessDenied"),
        ("invalid", 422, "BadRequest"),
        ("unavailable", 503, "InternalError"),
        ("expired", 401, "TokenExpired"),
        ("chain-tools", 404, "NotFound"),
    ],
)
def test_a_domain_error_raised_in_a_route_becomes_its_status_and_pact_body(
    probe: TestClient, kind: str, status: int, code: str
) -> None:
    response = probe.get(f"/probe/raise/{kind}")
    assert response.status_code == status
    assert response.json() == {"code": code, "message": str(RAISED[kind])}
    assert response.headers["content-type"] == "application/json"


def test_unexpected_errors_give_a_generic_500_and_are_logged_without_reaching_the_caller(
    probe: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="tanji.http"):
        response = probe.get("/probe/raise/bug")
    assert response.status_code == 500
    assert response.json() == {"code": "InternalError", "message": "internal error"}
    assert "hunter2" not in response.text and "Traceback" not in response.text
    assert any("RuntimeError" in record.getMessage() for record in caplog.records)


def test_a_query_parameter_of_the_wrong_type_is_a_400_naming_it(probe: TestClient) -> None:
    response = probe.get("/probe/typed", params={"limit": "many"})
    assert response.status_code == 400
    assert response.json()["code"] == "BadRequest" and "query parameter 'limit'" in response.json()["message"]
    assert probe.get("/probe/typed").json()["message"].startswith("query parameter 'limit': Field required")


def test_unknown_routes_and_methods_get_pact_bodies(api_client: TestClient) -> None:
    missing = api_client.get("/v1/nothing-here")
    assert missing.status_code == 404 and missing.json()["code"] == "NotFound"
    wrong_method = api_client.delete("/v1/health")
    assert wrong_method.status_code == 405 and set(wrong_method.json()) == {"code", "message"}
