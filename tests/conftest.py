"""Shared fixtures: chains (embedded py-evm per test, one Hardhat node per session), deployments, members."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from eth_account import Account

REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Chain:
    """A chain under test: gateway plus a funded operator."""

    kind: str
    gateway: Any
    operator: Any

    def fund(self, address: str, wei: int = 10**18) -> None:
        """Give `address` gas money from the operator."""
        self.gateway.transfer(address, wei, sender=self.operator)


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


@dataclass
class Tanji:
    """A deployed Tanji with registered members (each with a funded key)."""

    chain: Chain
    client: Any
    supplier: Any
    auditor: Any
    certifier: Any
    regulator: Any
    outsider: Any


def deploy_with_members(chain: Chain) -> Tanji:
    """Deploy contracts and register supplier 'acme', auditor 'audit', certifier 'cert', regulator 'reg'."""
    from chain_tools.deploy import deploy_tanji
    from chain_tools.tanji_chain import TanjiChain

    client = TanjiChain(chain.gateway, deploy_tanji(chain.gateway, operator=chain.operator))
    accounts = {name: Account.create() for name in ("supplier", "auditor", "certifier", "regulator", "outsider")}
    for org, name, role in (
        ("acme", "supplier", "supplier"),
        ("audit", "auditor", "auditor"),
        ("cert", "certifier", "certifier"),
        ("reg", "regulator", "regulator"),
    ):
        client.register_member(org, accounts[name].address, [role], sender=chain.operator)
    for account in accounts.values():
        chain.fund(account.address)
    return Tanji(chain=chain, client=client, **accounts)
