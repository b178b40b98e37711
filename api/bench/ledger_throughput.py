"""Ledger benchmarks: ingest + anchoring of signed declarations, and bulk verification, on a fresh embedded
chain with a fresh SQLite store. Signing happens before the clock starts (it is the declarants' work).

Both rates are also given as a ratio to the signature floor (api.bench.signature_floor) measured in the same run
for the same number of worker processes."""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from api.bench import signature_floor
from chain_tools.chain_adapter import ChainAdapter
from chain_tools.deploy import deploy_tanji
from chain_tools.tanji_chain import TanjiChain

BENCH_ORG = "bench-supplier"


def _signed(tanji: TanjiChain, supplier: Any, count: int) -> list[str]:
    import copy

    from ledger.declarations.envelope import sign_declaration

    template = json.loads(
        (Path(__file__).resolve().parents[2] / "examples" / "declarations" / "hot-rolled-coil.json").read_text(
            encoding="utf-8"
        )
    )
    template["extensions"][0]["data"]["declarant"] = {"org": BENCH_ORG, "address": supplier.address}
    template["productIds"] = [f"urn:tanji:{BENCH_ORG}:hot-rolled-coil"]  # a product the bench supplier may declare
    envelopes = []
    for index in range(count):
        payload = copy.deepcopy(template)
        payload["id"] = f"00000000-0000-4000-8000-{index:012d}"
        payload["pcf"]["pcfExcludingBiogenicUptake"] = f"{2 + index / 10**6:.6f}"
        envelopes.append(
            json.dumps(
                sign_declaration(
                    payload,
                    domain=tanji.signing_domain,
                    private_key=supplier.key,
                    declarant=supplier.address,
                    nonce=index,
                )
            )
        )
    return envelopes


def run(count: int = 10_000, batch_size: int = 1_000) -> dict[str, Any]:
    """Measure ingest + anchoring, then bulk verification, of `count` declarations."""
    from eth_account import Account
    from sqlmodel import Session, select
    from web3 import Web3

    from chain_tools.embedded import EmbeddedChain
    from chain_tools.gateway import Web3Gateway
    from ledger.confidentiality import FileKeyProvider
    from ledger.service.anchoring import AnchorService
    from ledger.service.bulk_verify import verify_many
    from ledger.service.ingest import IngestService
    from ledger.service.membership_cache import MembershipCache
    from ledger.storage.engine import make_engine, migrate
    from ledger.storage.keyring import Keyring
    from ledger.storage.tables import BatchRow, DeclarationRow

    operator, supplier = Account.create(), Account.create()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="tanji-bench-") as tmp:
        chain = EmbeddedChain(Path(tmp) / "chain", funded=[operator.address])
        engine = make_engine(f"sqlite:///{Path(tmp) / 'tanji.sqlite3'}")
        try:
            migrate(engine)
            gateway = Web3Gateway(Web3(chain.provider()), call_from=operator.address)
            tanji = TanjiChain(gateway, deploy_tanji(gateway, operator=operator))
            tanji.register_member(BENCH_ORG, supplier.address, ["supplier"], sender=operator)
            port = ChainAdapter(tanji, operator)
            keyring = Keyring(FileKeyProvider(Path(tmp) / "master.key"))

            def sessions() -> Session:
                return Session(engine, expire_on_commit=False)

            membership = MembershipCache(port)
            ingest = IngestService(sessions, domain=tanji.signing_domain, membership=membership, keyring=keyring)
            anchoring = AnchorService(sessions, port, membership=membership, batch_size=batch_size, max_age=3600)
            envelopes = _signed(tanji, supplier, count)
            floor = signature_floor.measure(ingest.workers)
            started = time.perf_counter()
            results = ingest.submit_many(envelopes)
            ingested = time.perf_counter()
            report = anchoring.run_once(flush=True)
            finished = time.perf_counter()
            if any(r.status != "pending" for r in results) or report.anchored_declarations != count:
                raise RuntimeError(
                    f"benchmark run failed: {report} {next(r for r in results if r.status != 'pending')}"
                )
            with sessions() as session:
                gas = [
                    tanji.gateway.w3.eth.get_transaction_receipt(b.tx_hash)["gasUsed"]
                    for b in session.exec(select(BatchRow)).all()
                ]
                ids = [row.id for row in session.exec(select(DeclarationRow)).all()]
                verify_started = time.perf_counter()
                reports = verify_many(session, keyring, port, ids, workers=ingest.workers)
                verify_s = time.perf_counter() - verify_started
            if not all(r.valid for r in reports):
                raise RuntimeError(f"verification failed: {next(r for r in reports if not r.valid).as_dict()}")
        finally:
            engine.dispose()
            chain.close()
    total = finished - started
    return {
        "declarations": count,
        "batch_size": batch_size,
        "workers": floor["workers"],
        "ingest_s": round(ingested - started, 3),
        "anchor_s": round(finished - ingested, 3),
        "ingest_anchor_per_s": round(count / total, 1),
        "anchor_transactions": len(gas),
        "gas_per_declaration_in_run": round(sum(gas) / count, 2),
        "verify_s": round(verify_s, 3),
        "verify_per_s": round(count / verify_s, 1),
        "floor_per_s": floor["floor_per_s"],
        "ingest_anchor_to_floor": round(count / total / floor["floor_per_s"], 3),
        "verify_to_floor": round(count / verify_s / floor["floor_per_s"], 3),
        "floor": floor,
        # the machine's 1-minute load average when the run started and ended: a shared 2-core machine with a load
        # of 10 gives each process a fraction of a core, which the floor (measured in the same run) reflects
        "load_average": {"start": round(load_before, 2), "end": round(os.getloadavg()[0], 2)},
    }
