"""Fixtures for the web pages: a seeded workspace (a two-tier supply chain on the embedded chain), a runtime and test
clients over it, and signing in through the pages.

The seeded workspace: steel (supplier) declares a hot-rolled coil (its own inputs, ore and coke, are declared by
nobody: gaps); leader (chain leader) declares a gearbox housing made of 2.4 kg of the coil; audit (auditor) attests
the coil; cert (certifier) issues two labels on it and revokes one. Every organization has an API client.

- `seeded`: the prepared workspace (once per session); `copy_of_seeded(into)` copies it for a private server.
- `web_runtime`: one runtime over a copy for the session (tests that write use fresh declarations or serials).
- `web_client`: a TestClient of a new app over it, https://tanji.test; `sign_in(client, org)` signs in by the form.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.compose import open_runtime
from api.http.app import create_app
from api.http.runtime import Runtime

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests/web is not a package: its helpers by name

from web_world import Seeded, csrf_of, seed, web_settings


def copy_of_seeded(seeded: Seeded, into: Path) -> Path:
    """A private copy of the seeded workspace (chain, database, keys)."""
    home = into / "home"
    shutil.copytree(seeded.home, home)
    return home


@pytest.fixture(scope="session")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Seeded:
    """The seeded workspace (built once per session; never written by tests)."""
    return seed(tmp_path_factory.mktemp("web-seed") / "home")


@pytest.fixture(scope="session")
def web_runtime(seeded: Seeded, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    """One runtime over a copy of the seeded workspace for the session."""
    with open_runtime(web_settings(copy_of_seeded(seeded, tmp_path_factory.mktemp("web-shared")))) as runtime:
        yield runtime


@pytest.fixture
def web_client(web_runtime: Runtime) -> Iterator[TestClient]:
    """A test client of a new app over the session's runtime (follows no redirects)."""
    app = create_app(web_runtime.settings, runtime=web_runtime)
    with TestClient(app, base_url="https://tanji.test", follow_redirects=False) as client:
        yield client


@pytest.fixture
def sign_in(seeded: Seeded) -> Callable[[TestClient, str], None]:
    """(client, org) -> signs `client` in as `org` through the client-credential form."""

    def signing_in(client: TestClient, org: str) -> None:
        token = csrf_of(client.get("/sign-in").text)
        client_id, secret = seeded.clients[org]
        answer = client.post(
            "/sign-in/client", data={"csrf_token": token, "client_id": client_id, "client_secret": secret, "next": "/"}
        )
        assert answer.status_code == 303, answer.text

    return signing_in
