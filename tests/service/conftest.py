"""Fixtures for the ledger services: a deployed chain, a migrated store and the services over both."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from factories import Tanji
from sqlmodel import Session

from chain_tools.chain_adapter import ChainAdapter
from ledger.confidentiality import FileKeyProvider
from ledger.errors import ChainUnavailableError
from ledger.service.anchoring import AnchorService
from ledger.service.ingest import IngestService
from ledger.service.membership_cache import MembershipCache
from ledger.storage.keyring import Keyring


class FlakyChain:
    """A ChainAdapter that can be switched off (every call then raises ChainUnavailableError)."""

    def __init__(self, inner: ChainAdapter) -> None:
        self.inner = inner
        self.down = False

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self.inner, name)
        if not callable(attribute):
            return attribute

        def guarded(*args: Any, **kwargs: Any) -> Any:
            if self.down:
                raise ChainUnavailableError("chain switched off by the test")
            return attribute(*args, **kwargs)

        return guarded

    @property
    def signing_domain(self) -> Any:
        return self.inner.signing_domain


@dataclass
class LedgerEnv:
    """Services over one chain and one store."""

    tanji: Tanji
    chain: FlakyChain
    sessions: Callable[[], Session]
    keyring: Keyring
    ingest: IngestService
    anchoring: AnchorService


@pytest.fixture
def ledger_env(engine: Any, embedded_tanji: Tanji, tmp_path: Path) -> LedgerEnv:
    tanji = embedded_tanji
    chain = FlakyChain(ChainAdapter(tanji.client, tanji.chain.operator))
    keyring = Keyring(FileKeyProvider(tmp_path / "master.key"))

    def sessions() -> Session:
        return Session(engine, expire_on_commit=False)

    membership = MembershipCache(chain, ttl=0)  # type: ignore[arg-type]
    return LedgerEnv(
        tanji=tanji,
        chain=chain,
        sessions=sessions,
        keyring=keyring,
        ingest=IngestService(sessions, domain=chain.signing_domain, membership=membership, keyring=keyring, workers=1),
        anchoring=AnchorService(sessions, chain, membership=membership, batch_size=4, max_age=3600),  # type: ignore[arg-type]
    )
