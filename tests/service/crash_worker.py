"""Worker for the fault-injection test: ingests pre-signed envelopes and anchors them, dying where told.

Usage: python crash_worker.py CONFIG.json. CONFIG names the database URL, the chain (RPC URL and deployment),
the anchorer key, the envelopes file and, optionally, a crash point ("prepared", "before-send", "after-send",
"recorded" or "ingest") at which the process SIGKILLs itself the first time it gets there.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

from eth_account import Account
from sqlmodel import Session
from web3 import HTTPProvider, Web3

from chain_tools.chain_adapter import ChainAdapter
from chain_tools.deploy import Deployment
from chain_tools.gateway import Web3Gateway
from chain_tools.tanji_chain import TanjiChain
from ledger.confidentiality import FileKeyProvider
from ledger.service.anchoring import AnchorService
from ledger.service.ingest import IngestService
from ledger.service.membership_cache import MembershipCache
from ledger.storage import repository
from ledger.storage.engine import make_engine, migrate
from ledger.storage.keyring import Keyring


def main() -> None:
    config = json.loads(Path(sys.argv[1]).read_text())
    crash_at = config.get("crash_at")

    def hook(point: str) -> None:
        if point == crash_at:
            os.kill(os.getpid(), signal.SIGKILL)

    engine = make_engine(config["database_url"])
    migrate(engine)

    def sessions() -> Session:
        return Session(engine, expire_on_commit=False)

    gateway = Web3Gateway(Web3(HTTPProvider(config["rpc_url"], cache_allowed_requests=True)))
    tanji = TanjiChain(gateway, Deployment.from_dict(config["deployment"]))
    chain = ChainAdapter(tanji, Account.from_key(config["anchorer_key"]))
    membership = MembershipCache(chain)
    keyring = Keyring(FileKeyProvider(Path(config["master_key"])))
    ingest = IngestService(sessions, domain=tanji.signing_domain, membership=membership, keyring=keyring, workers=1)
    anchoring = AnchorService(
        sessions, chain, membership=membership, batch_size=config["batch_size"], max_age=0, crash_hook=hook
    )
    envelopes = Path(config["envelopes"]).read_text().splitlines()
    for start in range(0, len(envelopes), config["chunk"]):
        results = ingest.submit_many(envelopes[start : start + config["chunk"]])
        bad = [r for r in results if r.status == "rejected"]
        if bad:
            raise SystemExit(f"unexpected rejection: {bad[0]}")
        hook("ingest")
        anchoring.run_once()
    anchoring.run_once(flush=True)
    with sessions() as session:
        left = repository.outbox_size(session=session) + len(repository.prepared_batches(session=session))
    print("DONE" if left == 0 else f"LEFT {left}")
    engine.dispose()


if __name__ == "__main__":
    main()
