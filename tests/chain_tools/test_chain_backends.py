"""Run the chain behaviour suite on the embedded py-evm chain, a Hardhat node and anvil."""

from __future__ import annotations

from typing import Any

import pytest
from chain_behaviour import ChainBehaviour
from factories import deploy_with_members


class TestEmbeddedChain(ChainBehaviour):
    @pytest.fixture
    def tanji(self, embedded_chain: Any) -> Any:
        return deploy_with_members(embedded_chain)


@pytest.mark.node
class TestHardhatNode(ChainBehaviour):
    @pytest.fixture
    def tanji(self, hardhat_chain: Any) -> Any:
        return deploy_with_members(hardhat_chain)


@pytest.mark.node
class TestAnvilNode(ChainBehaviour):
    @pytest.fixture
    def tanji(self, anvil_chain: Any) -> Any:
        return deploy_with_members(anvil_chain)
