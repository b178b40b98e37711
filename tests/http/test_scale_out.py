"""Scale-out: two server processes over one PostgreSQL database and one JSON-RPC chain (anvil) take submissions
from concurrent clients; each anchors in the background, one process at a time (an advisory lock around the whole
anchoring pass). Checked afterwards: no declaration lost, none anchored twice (roots and leaves on chain against the
rows), and no anchoring pass failed in either server."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from eth_account import Account
from factories import make_payload
from pg import fresh_database

from api.settings import Settings, get_settings
from chain_tools.nodes import free_port

pytestmark = [pytest.mark.node, pytest.mark.slow]

REPO_ROOT = Path(__file__).resolve().parents[2]
SUBMISSIONS = 48
SUBMITTERS = 8


@dataclass(frozen=True)
class Deployment:
    home: Path
    database_url: str
    supplier: Any
    chain_id: int
    ledger: str


@pytest.fixture
def deployment(
    anvil_node: Any, postgres_server_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Deployment]:
    """A workspace on the anvil node with its store on a fresh PostgreSQL database and supplier `acme`."""
    from api.compose import open_chain, workspace
    from chain_tools.workspace import initialise
    from ledger.service.members import register_member

    home = tmp_path / "operator"
    database_url = fresh_database(postgres_server_url, f"scale_{os.getpid()}_{time.monotonic_ns()}")
    initialise(home, rpc_url=anvil_node.url)
    settings = Settings(home=home, database_url=database_url)
    supplier = Account.create()
    with open_chain(settings) as chain:
        register_member(chain, "acme", supplier.address, ["supplier"], workspace(settings).operator())
    monkeypatch.setenv("TANJI_HOME", str(home))
    monkeypatch.setenv("TANJI_DATABASE_URL", database_url)
    get_settings.cache_clear()
    d = workspace(settings).config().deployment
    yield Deployment(home, database_url, supplier, d.chain_id, d.ledger)
    get_settings.cache_clear()


@contextmanager
def server_process(deployment: Deployment, log: Path) -> Iterator[str]:
    """One server process (the app `tanji serve --workers N` runs in each worker) anchoring in the background."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO_ROOT / "tests" / "http"),  # v1_stub, the app factory with the /v1 stand-ins
        "TANJI_HOME": str(deployment.home),
        "TANJI_DATABASE_URL": deployment.database_url,
        "TANJI_PUBLIC_URL": url,
        "TANJI_ANCHOR_LOOP": "true",
        "TANJI_ANCHOR_POLL_SECONDS": "0.2",
        "TANJI_BATCH_SIZE": "5",
        "TANJI_BATCH_MAX_AGE": "0.5",
        "TANJI_RATE_LIMIT_PER_MINUTE": "100000",
    }
    command = [sys.executable, "-m", "uvicorn", "--factory", "v1_stub:app_from_environment"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "info"]
    with open(log, "wb") as out:
        process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, f"server exited: {log.read_text()[-2000:]}"
            try:
                if httpx.get(f"{url}/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, f"server did not start: {log.read_text()[-2000:]}"
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@contextmanager
def opened_store(deployment: Deployment) -> Iterator[Any]:
    """The deployment's store; its connections are closed afterwards."""
    from api.compose import open_store

    store = open_store(Settings(home=deployment.home, database_url=deployment.database_url))
    try:
        yield store
    finally:
        with store.sessions() as session:
            session.get_bind().engine.dispose()


def client_token(deployment: Deployment, url: str) -> str:
    """A client-credentials token of acme from the server at `url` (the client made as `tanji client create` does)."""
    from api.compose import open_chain
    from ledger.service.identity import IdentityService, OrganizationDirectory

    settings = Settings(home=deployment.home, database_url=deployment.database_url)
    with opened_store(deployment) as store, open_chain(settings) as chain:
        issued = IdentityService(store.sessions, OrganizationDirectory(chain, ttl=0), token_ttl=3600).create_client(
            "acme"
        )
    answer = httpx.post(
        f"{url}/auth/token",
        data={"grant_type": "client_credentials"},
        auth=(issued.client_id, issued.secret),
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    return str(answer.json()["access_token"])


def signed_envelopes(deployment: Deployment, count: int) -> list[dict[str, Any]]:
    from ledger.declarations.envelope import sign_declaration
    from ledger.signing import SigningDomain

    domain = SigningDomain(deployment.chain_id, deployment.ledger)
    supplier = deployment.supplier
    return [
        sign_declaration(
            make_payload(supplier.address, org="acme"),
            domain=domain,
            private_key=supplier.key,
            declarant=supplier.address,
        )
        for _ in range(count)
    ]


def anchored_on_chain(deployment: Deployment) -> dict[str, int]:
    """root -> leaf count, for every BatchAnchored event of the deployment's ledger."""
    from api.compose import open_chain

    with open_chain(Settings(home=deployment.home, database_url=deployment.database_url)) as chain:
        ledger = chain.tanji.ledger
        events = ledger.events.BatchAnchored().get_logs(from_block=0)
        roots = ["0x" + bytes(event["args"]["root"]).hex() for event in events]
        assert len(roots) == len(set(roots)), f"a root was anchored twice: {roots}"
        return {root: chain.tanji.batch_of(bytes.fromhex(root[2:])).leaf_count for root in roots}


def test_two_servers_accept_concurrent_submissions_and_anchor_each_exactly_once(
    deployment: Deployment, tmp_path: Path
) -> None:
    from sqlmodel import select

    from ledger.storage.tables import BatchRow, DeclarationRow

    envelopes = signed_envelopes(deployment, SUBMISSIONS)
    logs = [Path(os.environ.get("SCALE_LOG_DIR", tmp_path)) / name for name in ("server-a.log", "server-b.log")]
    with ExitStack() as stack:
        urls = [stack.enter_context(server_process(deployment, log)) for log in logs]
        tokens = [client_token(deployment, url) for url in urls]

        def submit(index: int) -> tuple[int, dict[str, Any]]:
            server = index % 2  # alternate between the two processes
            answer = httpx.post(
                f"{urls[server]}/v1/declarations",
                json=envelopes[index],
                headers={"Authorization": f"Bearer {tokens[server]}"},
                timeout=60,
            )
            return answer.status_code, answer.json()

        with ThreadPoolExecutor(SUBMITTERS) as pool:
            answers = list(pool.map(submit, range(SUBMISSIONS)))
        assert all(status < 300 and body["status"] != "rejected" for status, body in answers), answers

        store = stack.enter_context(opened_store(deployment))
        deadline = time.monotonic() + 120
        while True:
            with store.sessions() as session:
                rows = list(session.exec(select(DeclarationRow)).all())
                batches = list(session.exec(select(BatchRow)).all())
            if len(rows) == SUBMISSIONS and all(row.status == "anchored" for row in rows):
                break
            assert time.monotonic() < deadline, f"not all anchored in time: {[r.status for r in rows]}"
            time.sleep(0.5)

    submitted = {str(envelope["payload"]["id"]) for envelope in envelopes}
    assert {row.id for row in rows} == submitted  # none lost, none invented
    on_chain = anchored_on_chain(deployment)
    assert sum(on_chain.values()) == SUBMISSIONS  # every leaf on chain once
    assert {batch.root for batch in batches} == set(on_chain)
    assert all(batch.status == "anchored" for batch in batches)
    by_batch: dict[int | None, int] = {}
    for row in rows:
        by_batch[row.batch_id] = by_batch.get(row.batch_id, 0) + 1
    assert {batch.root: by_batch[batch.id] for batch in batches} == on_chain  # rows per batch = leaves per root
    for log in logs:
        assert "anchoring pass failed" not in log.read_text(), log.read_text()[-3000:]


def test_the_anchoring_lock_admits_one_holder_at_a_time(deployment: Deployment) -> None:
    from typing import cast

    from ledger.chain_port import AnchorPort
    from ledger.service.anchoring import AnchorService
    from ledger.service.membership_cache import MembershipCache
    from ledger.storage.repository import ANCHORING_LOCK, advisory_lock

    with opened_store(deployment) as store, store.sessions() as first, store.sessions() as second:
        no_chain = cast(AnchorPort, None)  # a pass that finds the lock taken never reaches the chain
        service = AnchorService(store.sessions, no_chain, membership=MembershipCache(cast(Any, None)))
        with advisory_lock(session=first, key=ANCHORING_LOCK) as held:
            assert held
            with advisory_lock(session=second, key=ANCHORING_LOCK) as also:
                assert not also  # another connection (process) holds it
            assert service.run_once().busy
        with advisory_lock(session=second, key=ANCHORING_LOCK) as after:
            assert after  # released with the block


def test_gateways_of_two_processes_never_reuse_the_operators_nonce(anvil_node: Any) -> None:
    """Each server process has its own gateway, and they send as the same operator in turn."""
    from web3 import HTTPProvider, Web3

    from chain_tools.gateway import Web3Gateway
    from chain_tools.nodes import DEV_KEYS

    first, second = (Web3Gateway(Web3(HTTPProvider(anvil_node.url))) for _ in range(2))
    operator = Account.create()
    first.transfer(operator.address, 10**18, sender=Account.from_key(DEV_KEYS[1]))
    receiver = Account.create().address
    blocks = [gateway.transfer(receiver, 1, sender=operator).block_number for gateway in (first, second, first)]
    assert blocks == sorted(blocks) and first.balance(receiver) == 3
