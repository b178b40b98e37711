"""A migrated store and a deployed embedded chain (from the shared fixtures in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from factories import deploy_with_members
from sqlmodel import Session


@pytest.fixture
def session(engine: Any) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as opened:
        yield opened


@pytest.fixture
def chain(embedded_chain: Any) -> Any:
    """The ledger's chain port over a fresh deployment (the operator holds the anchorer role)."""
    from chain_tools.chain_adapter import ChainAdapter

    return ChainAdapter(deploy_with_members(embedded_chain).client, embedded_chain.operator)
