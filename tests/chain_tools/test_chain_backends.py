"""Run the chain behaviour and trust suites on the embedded py-evm chain, a Hardhat node and anvil.

Each test gets the session's prepared deployment with members in its own state: a copy of the embedded chain,
or a node snapshot reverted after the test (see conftest.py).
"""

from __future__ import annotations

from typing import Any

import pytest
from chain_behaviour import ChainBehaviour
from chain_trust_behaviour import TrustBehaviour


class TestEmbeddedChain(ChainBehaviour, TrustBehaviour):
    @pytest.fixture
    def tanji(self, embedded_tanji: Any) -> Any:
        return embedded_tanji


@pytest.mark.node
class TestHardhatNode(ChainBehaviour, TrustBehaviour):
    @pytest.fixture
    def tanji(self, hardhat_tanji: Any) -> Any:
        return hardhat_tanji


@pytest.mark.node
class TestAnvilNode(ChainBehaviour, TrustBehaviour):
    @pytest.fixture
    def tanji(self, anvil_tanji: Any) -> Any:
        return anvil_tanji
