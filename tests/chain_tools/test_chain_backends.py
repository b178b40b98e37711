"""Run the chain behaviour and trust suites on the embedded py-evm chain, a Hardhat node and anvil."""

from __future__ import annotations

from typing import Any

import pytest
from chain_behaviour import ChainBehaviour
from chain_trust_behaviour import TrustBehaviour
from factories import deploy_with_members


class TestEmbeddedChain(ChainBehaviour, TrustBehaviour):
    @pytest.fixture
    def tanji(self, embedded_chain: Any) -> Any:
        return deploy_with_members(embedded_chain)


@pytest.mark.node
class TestHardhatNode(ChainBehaviour, TrustBehaviour):
    @pytest.fixture
    def tanji(self, hardhat_chain: Any) -> Any:
        return deploy_with_members(hardhat_chain)


@pytest.mark.node
class TestAnvilNode(ChainBehaviour, TrustBehaviour):
    @pytest.fixture
    def tanji(self, anvil_chain: Any) -> Any:
        return deploy_with_members(anvil_chain)
