"""The OpenAPI document: security schemes and each operation's security, both read from the authorization table."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from api.http.authorization import Rule

SECURITY_SCHEMES: dict[str, Any] = {
    "BearerAuth": {
        "type": "http",
        "scheme": "bearer",
        "description": "a token from POST /auth/token (client credentials) or POST /auth/siwe (Sign-In with Ethereum)",
    },
    "BasicAuth": {"type": "http", "scheme": "basic", "description": "client id and secret, for POST /auth/token"},
}
BASIC_AUTH_ROUTES = frozenset({"issue_token"})


def install_openapi(app: FastAPI) -> None:
    """Make `app.openapi()` add the security schemes and mark every non-public operation as needing a token."""

    def build() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        schema.setdefault("components", {})["securitySchemes"] = SECURITY_SCHEMES
        rules: dict[str, Rule] = app.state.rules
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                if "422" in operation["responses"]:  # request validation answers 400; 422 is a broken domain rule
                    operation["responses"]["422"] = _error("Invalid input: a rule of the ledger is broken")
                name = operation.get("operationId")
                rule = rules.get(name)
                if name in BASIC_AUTH_ROUTES:
                    operation["security"] = [{"BasicAuth": []}]
                elif rule is not None and not rule.public:
                    operation["security"] = [{"BearerAuth": []}]
                    operation["responses"].setdefault("401", _error("Missing, invalid or expired bearer token"))
                    if rule.roles:
                        operation["responses"].setdefault("403", _error(f"Only for {rule.describe()}"))
        for unused in ("HTTPValidationError", "ValidationError"):
            schema["components"].get("schemas", {}).pop(unused, None)
        app.openapi_schema = schema
        return schema

    app.openapi = build  # type: ignore[method-assign]


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PactError"}}},
    }
