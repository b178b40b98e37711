"""Schemathesis against Tanji's own OpenAPI document: every operation, generated requests (valid and invalid), signed
in as a supplier; no 5xx, every response conforming to the documented status codes, content types and schemas.

Bounded and deterministic: a fixed number of examples per operation, derandomized generation, over a private copy of
the prepared workspace (the requests write to it).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.compose import open_runtime
from api.http.app import create_app
from api.settings import Settings

CHECKS = (
    schemathesis.checks.not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
)


@pytest.fixture(scope="module")
def fuzz_app(prepared_workspace: tuple[Path, Any], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    home = tmp_path_factory.mktemp("fuzz") / "home"
    shutil.copytree(prepared_workspace[0], home)
    settings = Settings(home=home, public_url="https://tanji.test", anchor_loop=False, rate_limit_per_minute=10**6)
    with open_runtime(settings) as runtime:
        app = create_app(settings, runtime=runtime)
        token = runtime.identity.issue_token(org="acme", method="client_credentials", subject="fuzz").token
        app.state.fuzz_token = token
        yield app


# the document does not depend on the workspace, so it is built at import (schemathesis' lazy fixture loader needs
# pytest internals that pytest 9 removed); the requests go to `fuzz_app`, an app over a real runtime
schema = schemathesis.openapi.from_dict(create_app(Settings(home=Path("/nonexistent/tanji"))).openapi())


@schema.parametrize()
@settings(max_examples=8, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_error_and_no_schema_violation(case: Any, fuzz_app: Any) -> None:
    headers = {"Authorization": f"Bearer {fuzz_app.state.fuzz_token}"}
    case.call_and_validate(app=fuzz_app, headers=headers, checks=CHECKS)
