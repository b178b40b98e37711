"""Run the chain behaviour suite on the embedded py-evm chain, a Hardhat node and anvil.

Each test gets the session's prepared deployment with members in its own state: a copy of the embedded chain,
or a node snapshot reverted after the test (see conftest.py).
"""

from __future__ import annotations

from typing import Any

import pytest
from chain_behaviour import ChainBehaviour


class TestEmbeddedChain(ChainBehaviour):
    @pytest.fixture
    def tanji(self, embedded_tanji: Any) -> Any:
        return embedded_tanji


@pytest.mark.node
class TestHardhatNode(ChainBehaviour):
    @pytest.fixture
    def tanji(self, hardhat_tanji: Any) -> Any:
        return hardhat_tanji


@pytest.mark.node
class TestAnvilNode(ChainBehaviour):
    @pytest.fixture
    def tanji(self, anvil_tanji: Any) -> Any:
        return anvil_tanji
