"""Fixtures for the HTTP API: a workspace with members prepared once per session, runtimes and test clients over it.

- `http_members`: the accounts of the prepared organizations (keys for signing in with Ethereum).
- `api_runtime`: one runtime for the session over a copy of the prepared workspace; tests must not change its
  on-chain membership (they create their own API clients and nonces, which never collide).
- `fresh_api_runtime`: a runtime over a fresh copy, for tests that change the chain or need a background loop.
- `api_client`: a TestClient over `api_runtime` (a new app, so rate limits start empty), base URL https://tanji.test.
- `bearer_for`: org handle -> ``{"Authorization": "Bearer ..."}`` of a new client-credentials token.
- `sign_in_message`: builds a valid EIP-4361 message for this server (fields overridable) and signs it.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from eth_account import Account
from eth_account.messages import encode_defunct
from fastapi.testclient import TestClient
from pact_world import PUBLIC_URL as PACT_PUBLIC_URL
from pact_world import World, pact_world, world_settings

from api.compose import open_runtime
from api.http.app import create_app
from api.http.runtime import Runtime
from api.settings import Settings
from ledger.service.siwe import SiweMessage

PUBLIC_URL = "https://tanji.test"


@dataclass(frozen=True)
class Members:
    """Keys of the prepared organizations: acme (supplier), leader (chain-leader), audit (auditor), shady
    (supplier, suspended) and an outsider key of no organization."""

    acme: Any
    leader: Any
    audit: Any
    shady: Any
    outsider: Any


def http_settings(home: Path, **overrides: Any) -> Settings:
    """Settings for a test server over `home` (no background anchoring, a generous rate limit, no role cache)."""
    values: dict[str, Any] = {
        "home": home,
        "public_url": PUBLIC_URL,
        "anchor_loop": False,
        "rate_limit_per_minute": 100_000,
        "principal_cache_seconds": 0,
        **overrides,
    }
    return Settings(**values)


@pytest.fixture(scope="session")
def prepared_workspace(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Members]:
    """A workspace on the embedded chain with the members of `Members` registered (once per session)."""
    from chain_tools.workspace import initialise
    from ledger.service.members import change_member, register_member

    home = tmp_path_factory.mktemp("prepared") / "home"
    initialise(home)
    members = Members(*(Account.create() for _ in range(5)))
    with open_runtime(http_settings(home)) as runtime:
        for org, account, role in (
            ("acme", members.acme, "supplier"),
            ("leader", members.leader, "chain-leader"),
            ("audit", members.audit, "auditor"),
            ("shady", members.shady, "supplier"),
        ):
            register_member(runtime.chain, org, account.address, [role], runtime.operator)
        change_member(runtime.chain, "suspend", "shady", "suspended for the tests", runtime.operator)
    return home, members


def copy_workspace(prepared: Path, into: Path) -> Path:
    """A private copy of the prepared workspace (chain, database, keys)."""
    home = into / "home"
    shutil.copytree(prepared, home)
    return home


@pytest.fixture(scope="session")
def http_members(prepared_workspace: tuple[Path, Members]) -> Members:
    """The prepared organizations' keys."""
    return prepared_workspace[1]


@pytest.fixture(scope="session")
def api_runtime(
    prepared_workspace: tuple[Path, Members], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Runtime]:
    """One runtime for the session (do not change its chain's membership)."""
    home = copy_workspace(prepared_workspace[0], tmp_path_factory.mktemp("shared"))
    with open_runtime(http_settings(home)) as runtime:
        yield runtime


@pytest.fixture
def fresh_api_runtime(prepared_workspace: tuple[Path, Members], tmp_path: Path) -> Callable[..., Any]:
    """Open a runtime over a private copy of the workspace: ``with fresh_api_runtime(**settings) as runtime:``."""
    home = copy_workspace(prepared_workspace[0], tmp_path)
    return lambda **overrides: open_runtime(http_settings(home, **overrides))


@pytest.fixture
def api_client(api_runtime: Runtime) -> Iterator[TestClient]:
    """A test client of a new app over the session's runtime."""
    with TestClient(create_app(api_runtime.settings, runtime=api_runtime), base_url=PUBLIC_URL) as client:
        yield client


def client_token(client: TestClient, runtime: Runtime, org: str) -> str:
    """A client-credentials bearer token of a new API client of `org`, obtained over HTTP."""
    issued = runtime.identity.create_client(org)
    response = client.post(
        "/auth/token", data={"grant_type": "client_credentials"}, auth=(issued.client_id, issued.secret)
    )
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


@pytest.fixture
def bearer_for(api_client: TestClient, api_runtime: Runtime) -> Callable[[str], dict[str, str]]:
    """org -> Authorization header of a fresh client-credentials token."""
    return lambda org: {"Authorization": f"Bearer {client_token(api_client, api_runtime, org)}"}


def siwe_message(client: TestClient, account: Any, **fields: Any) -> SiweMessage:
    """A valid sign-in message for this server with a fresh nonce; `fields` override any of its fields."""
    nonce = client.get("/auth/siwe/nonce").json()
    values: dict[str, Any] = {
        "scheme": "https",
        "domain": nonce["domain"],
        "address": account.address,
        "statement": "Sign in to Tanji",
        "uri": nonce["uri"],
        "chain_id": nonce["chainId"],
        "nonce": nonce["nonce"],
        "issued_at": datetime.now(UTC),
        **fields,
    }
    return SiweMessage(**values)


def sign_text(account: Any, text: str) -> str:
    """EIP-191 personal_sign signature of `text`, 0x-hex."""
    signature: str = Account.sign_message(encode_defunct(text=text), account.key).signature.to_0x_hex()
    return signature


@pytest.fixture
def siwe_text() -> Callable[..., str]:
    """(client, account, **fields) -> the text of a valid sign-in message with a fresh nonce (fields overridden)."""
    return lambda client, account, **fields: siwe_message(client, account, **fields).text()


@pytest.fixture
def signer() -> Callable[[Any, str], str]:
    """(account, text) -> EIP-191 signature."""
    return sign_text


@pytest.fixture
def sign_in_message() -> Callable[..., tuple[str, str]]:
    """(client, account, **fields) -> (message text, signature by `account`)."""

    def build(client: TestClient, account: Any, **fields: Any) -> tuple[str, str]:
        text = siwe_message(client, account, **fields).text()
        return text, sign_text(account, text)

    return build


@pytest.fixture(scope="session")
def served_pact_world(
    prepared_workspace: tuple[Path, Members], tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str], AbstractContextManager[World]]:
    """name -> a context giving a PACT world served over a private copy of the prepared workspace (each test module
    opens its own with a module-scoped `world` fixture)."""

    @contextmanager
    def open_world(name: str) -> Iterator[World]:
        home = tmp_path_factory.mktemp(name) / "home"
        shutil.copytree(prepared_workspace[0], home)
        with (
            open_runtime(Settings(**world_settings(home))) as runtime,
            TestClient(create_app(runtime.settings, runtime=runtime), base_url=PACT_PUBLIC_URL) as client,
        ):
            yield pact_world(runtime, client, prepared_workspace[1])

    return open_world
