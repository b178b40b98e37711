"""Shared fixtures: chains (embedded py-evm per test, one Hardhat node per session), deployments, members."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from eth_account import Account
from factories import Chain

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def embedded_chain(tmp_path: Path) -> Iterator[Chain]:
    """A fresh embedded py-evm chain in a temporary directory."""
    from web3 import Web3

    from chain_tools.embedded import EmbeddedChain
    from chain_tools.gateway import Web3Gateway

    operator = Account.create()
    chain = EmbeddedChain(tmp_path / "chain", funded=[operator.address])
    try:
        yield Chain("embedded", Web3Gateway(Web3(chain.provider()), call_from=operator.address), operator)
    finally:
        chain.close()


@pytest.fixture(scope="session")
def hardhat_node() -> Iterator[Any]:
    """One Hardhat 3 node for the whole session (started from node_modules)."""
    from chain_tools.nodes import dev_node

    with dev_node("hardhat") as node:
        yield node


@pytest.fixture(scope="session")
def anvil_node() -> Iterator[Any]:
    """One anvil node for the whole session (asynchronous mining: every send waits for its receipt)."""
    from chain_tools.nodes import dev_node

    with dev_node("anvil") as node:
        yield node


def node_chain(kind: str, node: Any) -> Chain:
    """A gateway to a session node with a fresh funded operator (so nonces never collide between tests)."""
    from web3 import HTTPProvider, Web3

    from chain_tools.gateway import Web3Gateway
    from chain_tools.nodes import DEV_KEYS

    gateway = Web3Gateway(Web3(HTTPProvider(node.url, cache_allowed_requests=True)))
    operator = Account.create()
    gateway.transfer(operator.address, 10**20, sender=Account.from_key(DEV_KEYS[0]))
    return Chain(kind, gateway, operator)


@pytest.fixture
def hardhat_chain(hardhat_node: Any) -> Chain:
    """The session's Hardhat node with a fresh funded operator."""
    return node_chain("hardhat", hardhat_node)


@pytest.fixture
def anvil_chain(anvil_node: Any) -> Chain:
    """The session's anvil node with a fresh funded operator."""
    return node_chain("anvil", anvil_node)


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    """One PostgreSQL server for the session."""
    from pg import postgres_server

    with postgres_server() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database: SQLite in tmp_path, or a new database on the session's PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'tanji.sqlite3'}"
    import uuid

    from pg import fresh_database

    return fresh_database(request.getfixturevalue("postgres_server_url"), f"t_{uuid.uuid4().hex[:12]}")


@pytest.fixture
def engine(database_url: str) -> Iterator[Any]:
    """A migrated engine over `database_url`, disposed afterwards."""
    from ledger.storage.engine import make_engine, migrate

    created = make_engine(database_url)
    migrate(created)
    yield created
    created.dispose()
