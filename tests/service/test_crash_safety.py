"""Fault injection: the ledger service is SIGKILLed at random points while ingesting and anchoring 2,000
declarations (at least 10 kills: before send, after send before receipt, after receipt before the database
update, right after preparing a batch, mid-ingest, and at random times), restarted each time, and in the end
every declaration is anchored exactly once, every proof verifies against an on-chain root, none is lost, and the
chain holds no root the database does not know.

Each run is a fresh process forked by a launcher that did the imports once (crash_worker.py --zygote), so a
restart costs no interpreter start-up; the kill is the same SIGKILL of the process holding the connections."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from factories import PreparedTanji, Tanji, make_payload
from sqlmodel import Session, select

from ledger.declarations.envelope import sign_declaration
from ledger.merkle import verify_proof
from ledger.storage.engine import make_engine
from ledger.storage.tables import BatchRow, DeclarationRow, OutboxRow

ROOT = Path(__file__).resolve().parents[2]
DECLARATIONS = 2_000
CRASH_POINTS = ["prepared", "before-send", "after-send", "recorded", "ingest"]


class WorkerLauncher:
    """crash_worker.py --zygote: imports the service once and forks a fresh worker process per run."""

    def __init__(self, stderr_path: Path) -> None:
        self.stderr_path = stderr_path

    def __enter__(self) -> WorkerLauncher:
        self.stderr = self.stderr_path.open("w")
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "tests" / "service" / "crash_worker.py"), "--zygote"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            text=True,
        )
        return self

    def run(self, config: Path, *, timeout: float) -> int:
        """Run one worker on `config`; it is SIGKILLed after `timeout` s; return its exit code (-9: killed)."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps({"config": str(config), "timeout": timeout}) + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline()
        assert answer, f"the worker launcher died: {self.stderr_path.read_text()[-3000:]}"
        return int(json.loads(answer)["returncode"])

    def __exit__(self, *exc: object) -> None:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.close()  # the launcher stops at the end of its input
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()
        self.stderr.close()


@pytest.fixture(scope="module")
def envelopes_file(hardhat_prepared: PreparedTanji, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """DECLARATIONS envelopes signed by the prepared supplier (org acme) for the session's Hardhat deployment;
    signed once for both databases, which each run on that deployment between a snapshot and a revert."""
    supplier, domain = hardhat_prepared.members["supplier"], hardhat_prepared.signing_domain
    key, declarant = supplier.key, supplier.address
    envelopes = [
        sign_declaration(make_payload(declarant), domain=domain, private_key=key, declarant=declarant, nonce=i)
        for i in range(DECLARATIONS)
    ]
    path = tmp_path_factory.mktemp("crash-safety") / "envelopes.jsonl"
    path.write_text("\n".join(json.dumps(envelope) for envelope in envelopes))
    return path


@pytest.mark.node
@pytest.mark.slow
def test_kill_minus_nine_anywhere_loses_nothing_and_anchors_nothing_twice(
    hardhat_node: Any, hardhat_tanji: Tanji, envelopes_file: Path, database_url: str, tmp_path: Path
) -> None:
    rng = random.Random(20261122)
    tanji, operator = hardhat_tanji.client, hardhat_tanji.chain.operator
    deployment = tanji.deployment
    envelopes = envelopes_file.read_text().splitlines()
    base = {
        "database_url": database_url,
        "rpc_url": hardhat_node.url,
        "deployment": deployment.as_dict(),
        "anchorer_key": "0x" + operator.key.hex(),
        "envelopes": str(envelopes_file),
        "master_key": str(tmp_path / "master.key"),
        "batch_size": 150,
        "chunk": 100,
    }
    kills, runs = 0, 0
    schedule = CRASH_POINTS * 2 + [None] * 4  # 10 self-kills at named points, then runs killed at random times
    with WorkerLauncher(tmp_path / "launcher.err") as launcher:
        while True:
            crash_at = schedule[runs] if runs < len(schedule) else None
            config = tmp_path / f"run{runs}.json"
            config.write_text(json.dumps({**base, "crash_at": crash_at}))
            external = crash_at is None and runs < len(schedule)
            # random kills land 0.2-2.5 s into a worker's work: its imports are done once by the launcher, and
            # the ~8 s of work left after the named kills must still be cut by each of them
            returncode = launcher.run(config, timeout=rng.uniform(0.2, 2.5) if external else 300)
            out, err = Path(f"{config}.out").read_text(), Path(f"{config}.err").read_text()
            runs += 1
            if returncode == -signal.SIGKILL:
                kills += 1
                continue
            assert returncode == 0, err[-3000:]
            if "DONE" in out and runs >= len(schedule):
                break
            assert runs < 40, f"no progress after {runs} runs: {out} {err[-2000:]}"
    assert kills >= 10, f"only {kills} kills happened"

    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            rows = session.exec(select(DeclarationRow)).all()
            batches = {b.id: b for b in session.exec(select(BatchRow)).all()}
            assert session.exec(select(OutboxRow)).all() == []
    finally:
        engine.dispose()
    signed_digests = {json.loads(e)["digest"] for e in envelopes}
    assert {row.digest for row in rows} == signed_digests and len(rows) == DECLARATIONS  # none lost, none doubled
    assert all(row.status == "anchored" and row.batch_id in batches for row in rows)
    assert sum(b.leaf_count for b in batches.values()) == DECLARATIONS  # each declaration in exactly one batch
    for row in rows:
        root = bytes.fromhex(batches[row.batch_id].root[2:])
        proof = [bytes.fromhex(p[2:]) for p in json.loads(row.proof)]
        assert verify_proof(root, bytes.fromhex(row.leaf[2:]), proof)
    for batch in batches.values():
        assert tanji.batch_of(bytes.fromhex(batch.root[2:])).anchored_at_block == batch.block_number
    logs = tanji.ledger.events.BatchAnchored().get_logs(from_block=deployment.deployed_at_block)
    on_chain_roots = ["0x" + bytes(log["args"]["root"]).hex() for log in logs]
    assert sorted(on_chain_roots) == sorted(b.root for b in batches.values())  # nothing anchored twice or orphaned
