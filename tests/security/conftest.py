"""Fixtures for the attack tests: a deployed Tanji with members (acme, rival, auditor, certifier, regulator), a
SQLite store and the ledger services over both, plus helpers to submit, anchor and verify."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from eth_account import Account
from factories import Tanji, deploy_with_members, make_payload, signed
from sqlmodel import Session

from chain_tools.chain_adapter import ChainAdapter
from ledger.confidentiality import FileKeyProvider
from ledger.service.anchoring import AnchorService
from ledger.service.ingest import IngestResult, IngestService
from ledger.service.membership_cache import MembershipCache
from ledger.service.verify import VerificationReport
from ledger.service.verify_stored import verify_stored
from ledger.storage.engine import make_engine, migrate
from ledger.storage.keyring import Keyring
from ledger.storage.tables import DeclarationRow


@dataclass
class Env:
    """The ledger services over one chain and one store, and the members' keys."""

    tanji: Tanji
    rival: Any
    chain: ChainAdapter
    sessions: Callable[[], Session]
    keyring: Keyring
    ingest: IngestService
    anchoring: AnchorService

    def submit(self, account: Any = None, *, org: str = "acme", **payload_options: Any) -> IngestResult:
        """Sign a fresh declaration (payload options as make_payload's, plus `supersedes`) and submit it."""
        account = account or self.tanji.supplier
        supersedes = payload_options.pop("supersedes", None)
        payload = make_payload(account.address, org=org, **payload_options)
        return self.ingest.submit(signed(self, account, payload=payload, org=org, supersedes=supersedes))

    def flush(self) -> Any:
        """Anchor everything queued."""
        return self.anchoring.run_once(flush=True)

    def verify(self, key: str, **options: Any) -> VerificationReport:
        """Verify a stored declaration by id or digest."""
        with self.sessions() as session:
            report = verify_stored(session, self.keyring, self.chain, key, **options)
        assert report is not None
        return report

    def row(self, declaration_id: str) -> DeclarationRow:
        """The stored row of a declaration."""
        with self.sessions() as session:
            found = session.get(DeclarationRow, declaration_id)
        assert found is not None
        return found


@pytest.fixture
def env(embedded_chain: Any, tmp_path: Path) -> Env:
    tanji = deploy_with_members(embedded_chain)
    rival = Account.create()
    tanji.client.register_member("rival", rival.address, ["supplier"], sender=embedded_chain.operator)
    embedded_chain.fund(rival.address)
    chain = ChainAdapter(tanji.client, embedded_chain.operator)
    engine = make_engine(f"sqlite:///{tmp_path / 'tanji.sqlite3'}")
    migrate(engine)

    def sessions() -> Session:
        return Session(engine, expire_on_commit=False)

    keyring = Keyring(FileKeyProvider(tmp_path / "master.key"))
    membership = MembershipCache(chain, ttl=0)
    return Env(
        tanji=tanji,
        rival=rival,
        chain=chain,
        sessions=sessions,
        keyring=keyring,
        ingest=IngestService(sessions, domain=chain.signing_domain, membership=membership, keyring=keyring, workers=1),
        anchoring=AnchorService(sessions, chain, membership=membership, batch_size=50, max_age=3600),
    )
