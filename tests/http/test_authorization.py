"""The authorization table covers every route, and it is enforced: 401 anonymous, 403 without the role."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient

import api.http.app as app_module
from api.errors import RouteWithoutRuleError
from api.http.app import create_app
from api.http.authorization import AUTHENTICATED, PUBLIC, RULES, roles, route_names
from api.http.routing import TanjiRoute, new_router
from api.http.runtime import Runtime
from ledger.errors import UnknownRoleError

Bearer = Callable[[str], dict[str, str]]


def test_every_registered_route_has_a_row_in_the_authorization_table(api_runtime: Runtime) -> None:
    app = create_app(api_runtime.settings, runtime=api_runtime)
    names = route_names(app)
    assert names and len(names) == len(set(names)), "route names (operation ids) must be unique"
    assert [name for name in names if name not in RULES] == []


def test_every_api_route_checks_its_media_type_and_uses_its_name_as_operation_id(api_runtime: Runtime) -> None:
    app = create_app(api_runtime.settings, runtime=api_runtime)
    api_routes = [
        c
        for c in iter_route_contexts(app.routes)
        if c.name not in ("openapi", "swagger_ui_html", "swagger_ui_redirect", "redoc_html")
    ]
    assert api_routes and all(isinstance(c.original_route, TanjiRoute) for c in api_routes)
    operation_ids = {op["operationId"] for path in app.openapi()["paths"].values() for op in path.values()}
    assert operation_ids == {c.name for c in api_routes}


def test_the_app_refuses_to_start_with_a_route_missing_from_the_table(
    api_runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app_module, "RULES", {k: v for k, v in RULES.items() if k != "me"})
    with pytest.raises(RouteWithoutRuleError, match="me"):
        create_app(api_runtime.settings, runtime=api_runtime)


def test_a_rule_names_only_known_roles() -> None:
    assert roles("chain-leader", "AUDITOR").roles == frozenset({"chain-leader", "auditor"})
    with pytest.raises(UnknownRoleError):
        roles("emperor")


@pytest.fixture
def gated(api_runtime: Runtime) -> TestClient:
    """The app plus an auditor-only probe route and an authenticated one."""
    app = create_app(api_runtime.settings, runtime=api_runtime)
    router = new_router(prefix="/probe")

    @router.get("/audit-only", name="probe_audit_only")
    def probe_audit_only() -> dict[str, bool]:
        return {"ok": True}

    app.include_router(router)
    app.state.rules["probe_audit_only"] = roles("auditor", "regulator")
    return TestClient(app, base_url="https://tanji.test")


def test_a_principal_without_the_role_gets_403_in_pact_shape(gated: TestClient, bearer_for: Bearer) -> None:
    response = gated.get("/probe/audit-only", headers=bearer_for("acme"))
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "AccessDenied" and "'acme'" in body["message"] and "auditor" in body["message"]


def test_a_principal_with_one_of_the_roles_passes(gated: TestClient, bearer_for: Bearer) -> None:
    assert gated.get("/probe/audit-only", headers=bearer_for("audit")).json() == {"ok": True}


def test_an_anonymous_caller_of_a_gated_route_gets_401(gated: TestClient) -> None:
    response = gated.get("/probe/audit-only")
    assert response.status_code == 401 and response.json()["code"] == "BadRequest"


def test_a_token_of_a_suspended_organization_is_refused(api_client: TestClient, api_runtime: Runtime) -> None:
    issued = api_runtime.identity.create_client("shady")
    token = api_runtime.identity.token_for_client(issued.client_id, issued.secret).token
    response = api_client.get("/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 403 and "suspended" in response.json()["message"]


def test_suspending_an_organization_shuts_its_live_sessions(fresh_api_runtime: Callable[..., Any]) -> None:
    from ledger.service.members import change_member

    with fresh_api_runtime() as runtime:
        issued = runtime.identity.create_client("acme")
        headers = {
            "Authorization": f"Bearer {runtime.identity.token_for_client(issued.client_id, issued.secret).token}"
        }
        with TestClient(create_app(runtime.settings, runtime=runtime)) as client:
            assert client.get("/v1/me", headers=headers).status_code == 200
            change_member(runtime.chain, "suspend", "acme", "test", runtime.operator)
            assert client.get("/v1/me", headers=headers).status_code == 403


def test_openapi_marks_exactly_the_non_public_operations_as_needing_a_bearer_token(api_client: TestClient) -> None:
    schema = api_client.get("/openapi.json").json()
    assert set(schema["components"]["securitySchemes"]) == {"BearerAuth", "BasicAuth"}
    for path in schema["paths"].values():
        for operation in path.values():
            rule = RULES[operation["operationId"]]
            if operation["operationId"] == "issue_token":
                assert operation["security"] == [{"BasicAuth": []}]
            elif rule in (PUBLIC,):
                assert "security" not in operation
            else:
                assert rule == AUTHENTICATED or rule.roles
                assert operation["security"] == [{"BearerAuth": []}] and "401" in operation["responses"]
