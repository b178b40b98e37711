"""Worker for the fault-injection test: ingests pre-signed envelopes and anchors them, dying where told.

Usage: python crash_worker.py CONFIG.json. CONFIG names the database URL, the chain (RPC URL and deployment),
the anchorer key, the envelopes file and, optionally, a crash point ("prepared", "before-send", "after-send",
"recorded" or "ingest") at which the process SIGKILLs itself the first time it gets there.

python crash_worker.py --zygote starts a launcher instead: it imports everything once, then for each request
line (JSON {"config": path, "timeout": seconds}) forks a fresh worker process that runs CONFIG with stdout and
stderr in CONFIG.out and CONFIG.err, SIGKILLs it when the timeout passes, and answers {"returncode": code}
(negative: killed by that signal). Each worker is still its own process, killed with SIGKILL, holding its own
database and RPC connections; only the ~2 s of imports per restart are saved.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
import traceback
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


def main(config_path: str) -> None:
    config = json.loads(Path(config_path).read_text())
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


def run_forked(config_path: str, timeout: float) -> int:
    """Fork a worker for `config_path`; SIGKILL it after `timeout` seconds; return its exit code (-signal)."""
    pid = os.fork()
    if pid == 0:  # the worker: never returns into the launcher's loop
        code = 0
        try:
            with open(config_path + ".out", "w") as out, open(config_path + ".err", "w") as err:
                os.dup2(out.fileno(), 1)
                os.dup2(err.fileno(), 2)
                try:
                    main(config_path)
                except SystemExit as exc:
                    print(exc, file=sys.stderr)
                    code = 1
                except BaseException:
                    traceback.print_exc()
                    code = 1
                sys.stdout.flush()
                sys.stderr.flush()
        finally:
            os._exit(code)
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
        time.sleep(0.01)


def zygote() -> None:
    """Answer each request line on stdin with the exit code of a forked worker (see the module docstring)."""
    for line in sys.stdin:
        request = json.loads(line)
        print(json.dumps({"returncode": run_forked(request["config"], float(request["timeout"]))}), flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "--zygote":
        zygote()
    else:
        main(sys.argv[1])
