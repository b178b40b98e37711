"""Shared fixtures: chains, deployments with members, databases.

Speed without sharing state: a Tanji deployment with members is prepared once per session (per xdist worker)
and every test gets its own copy of it: on the embedded py-evm chain a copy of the prepared chain database,
on the session's Hardhat and anvil nodes an `evm_snapshot` taken before the test and reverted after it.
Prepared CLI workspaces are copied the same way (tests/api/conftest.py).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from eth_account import Account
from factories import Chain, PreparedTanji, Tanji, deploy_with_members

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session", autouse=True)
def _memoised_scrypt() -> Iterator[None]:
    """Remember scrypt key derivations for the session (keystores and wallets are decrypted on every CLI call).

    scrypt is a pure function of (password, salt, parameters), so a cached result is exactly the result it
    would compute: a wrong password still derives another key and fails the MAC check. New keystores get a
    random salt and are derived for real.
    """
    import functools

    from eth_keyfile import keyfile

    from ledger import wallets

    original, own = keyfile._scrypt_hash, wallets.scrypt_key  # eth-keyfile's, and the wallets' direct reader's
    keyfile._scrypt_hash = functools.cache(original)
    wallets.scrypt_key = functools.cache(own)
    try:
        yield
    finally:
        keyfile._scrypt_hash, wallets.scrypt_key = original, own


def open_embedded(directory: Path, operator: Any) -> tuple[Any, Chain]:
    """Open the embedded chain under `directory` with a gateway calling from `operator`."""
    from web3 import Web3

    from chain_tools.embedded import EmbeddedChain
    from chain_tools.gateway import Web3Gateway

    chain = EmbeddedChain(directory, funded=[operator.address])
    return chain, Chain("embedded", Web3Gateway(Web3(chain.provider()), call_from=operator.address), operator)


@pytest.fixture
def embedded_chain(tmp_path: Path) -> Iterator[Chain]:
    """A fresh embedded py-evm chain in a temporary directory."""
    chain, handle = open_embedded(tmp_path / "chain", Account.create())
    try:
        yield handle
    finally:
        chain.close()


@pytest.fixture(scope="session")
def embedded_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, PreparedTanji]:
    """An embedded chain directory holding a deployment with members, built once and then only copied."""
    directory = tmp_path_factory.mktemp("embedded-template") / "chain"
    chain, handle = open_embedded(directory, Account.create())
    try:
        prepared = PreparedTanji.of(deploy_with_members(handle))
    finally:
        chain.close()
    return directory, prepared


@pytest.fixture
def embedded_tanji(embedded_template: tuple[Path, PreparedTanji], tmp_path: Path) -> Iterator[Tanji]:
    """Tanji deployed with members on this test's own embedded chain (a copy of the session's template)."""
    template, prepared = embedded_template
    directory = tmp_path / "chain"
    shutil.copytree(template, directory, ignore=shutil.ignore_patterns("chain.lock"))
    chain, handle = open_embedded(directory, prepared.operator)
    try:
        yield prepared.attach("embedded", handle.gateway)
    finally:
        chain.close()


@contextmanager
def started_node(kind: str, attempts: int = 3) -> Iterator[Any]:
    """A dev node of `kind`, retrying the start: under pytest-xdist another worker's node or PostgreSQL can take
    the free port between the probe and the bind."""
    from chain_tools.errors import ChainConnectionError
    from chain_tools.nodes import dev_node

    for attempt in range(1, attempts + 1):
        context = dev_node(kind)
        try:
            node = context.__enter__()
        except ChainConnectionError:
            if attempt == attempts:
                raise
            continue
        try:
            yield node
        finally:
            context.__exit__(None, None, None)
        return


@pytest.fixture(scope="session")
def hardhat_node() -> Iterator[Any]:
    """One Hardhat 3 node for the whole session (per xdist worker; started from node_modules)."""
    with started_node("hardhat") as node:
        yield node


@pytest.fixture(scope="session")
def anvil_node() -> Iterator[Any]:
    """One anvil node for the whole session (per xdist worker; asynchronous mining: every send waits for its
    receipt)."""
    with started_node("anvil") as node:
        yield node


def node_gateway(node: Any) -> Any:
    """A fresh gateway (empty nonce cache) to a session node."""
    from web3 import HTTPProvider, Web3

    from chain_tools.gateway import Web3Gateway

    return Web3Gateway(Web3(HTTPProvider(node.url, cache_allowed_requests=True)))


def node_chain(kind: str, node: Any) -> Chain:
    """A gateway to a session node with a fresh funded operator (so nonces never collide between tests)."""
    from chain_tools.nodes import DEV_KEYS

    gateway = node_gateway(node)
    operator = Account.create()
    gateway.transfer(operator.address, 10**20, sender=Account.from_key(DEV_KEYS[0]))
    return Chain(kind, gateway, operator)


@contextmanager
def reverted_afterwards(gateway: Any) -> Iterator[None]:
    """Take an `evm_snapshot` of the node and revert to it on the way out (Hardhat and anvil)."""
    snapshot = gateway.w3.provider.make_request("evm_snapshot", [])["result"]
    try:
        yield
    finally:
        reverted = gateway.w3.provider.make_request("evm_revert", [snapshot]).get("result")
        assert reverted is True, f"evm_revert to snapshot {snapshot} failed: {reverted}"


@pytest.fixture
def hardhat_chain(hardhat_node: Any) -> Chain:
    """The session's Hardhat node with a fresh funded operator."""
    return node_chain("hardhat", hardhat_node)


@pytest.fixture
def anvil_chain(anvil_node: Any) -> Chain:
    """The session's anvil node with a fresh funded operator."""
    return node_chain("anvil", anvil_node)


@pytest.fixture(scope="session")
def hardhat_prepared(hardhat_node: Any) -> PreparedTanji:
    """A deployment with members on the session's Hardhat node, made once."""
    return PreparedTanji.of(deploy_with_members(node_chain("hardhat", hardhat_node)))


@pytest.fixture(scope="session")
def anvil_prepared(anvil_node: Any) -> PreparedTanji:
    """A deployment with members on the session's anvil node, made once."""
    return PreparedTanji.of(deploy_with_members(node_chain("anvil", anvil_node)))


@pytest.fixture
def hardhat_tanji(hardhat_node: Any, hardhat_prepared: PreparedTanji) -> Iterator[Tanji]:
    """The session's Hardhat deployment; whatever the test changes is reverted afterwards."""
    gateway = node_gateway(hardhat_node)
    with reverted_afterwards(gateway):
        yield hardhat_prepared.attach("hardhat", gateway)


@pytest.fixture
def anvil_tanji(anvil_node: Any, anvil_prepared: PreparedTanji) -> Iterator[Tanji]:
    """The session's anvil deployment; whatever the test changes is reverted afterwards."""
    gateway = node_gateway(anvil_node)
    with reverted_afterwards(gateway):
        yield anvil_prepared.attach("anvil", gateway)


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
