"""`tanji bench ...`: benchmarks that print one JSON object (ratios measured side by side in one run)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def register(commands: Any, parent: argparse.ArgumentParser) -> None:
    """Add the bench commands to `commands`."""
    bench = commands.add_parser("bench", help="benchmarks (JSON results)").add_subparsers(dest="sub", required=True)
    anchor = bench.add_parser("anchor", parents=[parent], help="gas per declaration and anchoring throughput")
    anchor.add_argument("--json", action="store_true", help="print JSON (the only output format)")
    anchor.add_argument("--backends", default="embedded,hardhat", help="comma-separated: embedded, hardhat, anvil")
    anchor.add_argument("--throughput-txs", type=int, default=50, help="sequential anchors timed per backend")
    anchor.add_argument("--declarations", type=int, default=10_000, help="signed declarations ingested and anchored")
    anchor.add_argument("--out", type=Path, help="also write the JSON to this file")
    anchor.set_defaults(handler=cmd_bench_anchor)
    rollup = bench.add_parser("rollup", parents=[parent], help="all-products roll-up on a synthetic supply chain")
    rollup.add_argument(
        "--products", type=int, action="append", help="graph size (repeatable; default 200000 and 1000000)"
    )
    rollup.add_argument("--cyclic", action="store_true", help="add a large strongly connected core")
    rollup.add_argument(
        "--bw2calc-products", type=int, default=200_000, help="graph size for the bw2calc comparison (0: skip)"
    )
    rollup.add_argument("--bw2calc-timeout", type=float, default=900.0, help="seconds before bw2calc is stopped")
    rollup.add_argument("--json", action="store_true", help="print JSON (the only output format)")
    rollup.add_argument("--out", type=Path, help="also write the JSON to this file")
    rollup.set_defaults(handler=cmd_bench_rollup)
    verify = bench.add_parser("verify", parents=[parent], help="bulk verification of anchored declarations")
    verify.add_argument("--json", action="store_true", help="print JSON (the only output format)")
    verify.add_argument("--declarations", type=int, default=10_000)
    verify.add_argument("--out", type=Path, help="also write the JSON to this file")
    verify.set_defaults(handler=cmd_bench_verify)
    cli = bench.add_parser("cli", parents=[parent], help="CLI start-up next to a bare interpreter start")
    cli.add_argument("--json", action="store_true", help="print JSON (the only output format)")
    cli.add_argument("--repeat", type=int, default=5, help="runs per command (median)")
    cli.add_argument("--out", type=Path, help="also write the JSON to this file")
    cli.set_defaults(handler=cmd_bench_cli)
    api = bench.add_parser("api", parents=[parent], help="HTTP throughput of tanji serve next to a minimal FastAPI app")
    api.add_argument("--json", action="store_true", help="print JSON (the only output format)")
    api.add_argument("--requests", type=int, default=3000, help="requests per run (each run stops after 30 s)")
    api.add_argument("--concurrency", type=int, default=64, help="concurrent clients")
    api.add_argument("--rounds", type=int, default=2, help="alternating rounds (the best of each counts)")
    api.add_argument("--declarations", type=int, default=150, help="anchored declarations served")
    api.add_argument("--out", type=Path, help="also write the JSON to this file")
    api.set_defaults(handler=cmd_bench_api)


def cmd_bench_anchor(args: argparse.Namespace) -> int:
    """Run the anchoring benchmark."""
    from api.bench.anchor import run
    from api.bench.ledger_throughput import run as run_ledger

    kinds = tuple(kind.strip() for kind in args.backends.split(",") if kind.strip())
    result = run(kinds, throughput_txs=args.throughput_txs)
    ledger = run_ledger(args.declarations)
    result["ingest_anchor_per_s"] = ledger["ingest_anchor_per_s"]
    result["floor_per_s"] = ledger["floor_per_s"]
    result["ingest_anchor_to_floor"] = ledger["ingest_anchor_to_floor"]
    result["verify_to_floor"] = ledger["verify_to_floor"]
    result["ingest_anchor"] = {key: value for key, value in ledger.items() if not key.startswith("verify")}
    return _publish(result, args.out)


def cmd_bench_verify(args: argparse.Namespace) -> int:
    """Run the verification benchmark (declarations are ingested and anchored first, untimed)."""
    from api.bench.ledger_throughput import run as run_ledger

    ledger = run_ledger(args.declarations)
    result = {
        "benchmark": "verify",
        "declarations": ledger["declarations"],
        "verify_per_s": ledger["verify_per_s"],
        "verify_s": ledger["verify_s"],
        "workers": ledger["workers"],
        "floor_per_s": ledger["floor_per_s"],
        "verify_to_floor": ledger["verify_to_floor"],
        "ingest_anchor_per_s": ledger["ingest_anchor_per_s"],
        "ingest_anchor_to_floor": ledger["ingest_anchor_to_floor"],
        "floor": ledger["floor"],
        "load_average": ledger["load_average"],
        "method": "stored declarations decrypted and fully re-verified (schema, digest, signature, key window, "
        "Merkle proof, status); roots, keys and the status change log read once from the chain",
    }
    return _publish(result, args.out)


def cmd_bench_cli(args: argparse.Namespace) -> int:
    """Run the CLI start-up benchmark."""
    from api.bench.cli_startup import run
    from ledger.errors import InvalidInputError

    if args.repeat < 1:
        raise InvalidInputError(f"--repeat {args.repeat} must be at least 1")
    from api.cli.progress import progress

    with progress(4, "bench cli", "step") as advance:
        result = run(args.repeat, on_step=advance)
    return _publish(result, args.out)


def cmd_bench_rollup(args: argparse.Namespace) -> int:
    """Run the roll-up benchmark."""
    from api.bench.rollup import run
    from ledger.errors import SupplyChainError

    sizes = sorted(args.products or [200_000, 1_000_000])
    if sizes[0] < 10:
        raise SupplyChainError(f"--products {sizes[0]} is too small; use at least 10 products")
    from api.cli.progress import progress

    with progress(len(sizes) + 1, "bench rollup", "step") as advance:
        result = run(
            sizes,
            cyclic=args.cyclic,
            bw2calc_products=args.bw2calc_products or None,
            bw2calc_timeout=args.bw2calc_timeout,
            on_step=advance,
        )
    return _publish(result, args.out)


def cmd_bench_api(args: argparse.Namespace) -> int:
    """Run the HTTP API benchmark."""
    from api.bench.api_load import run
    from ledger.errors import InvalidInputError

    for name in ("requests", "concurrency", "rounds", "declarations"):
        if getattr(args, name) < 1:
            raise InvalidInputError(f"--{name} {getattr(args, name)} must be at least 1")
    result = run(
        declarations=args.declarations, requests=args.requests, concurrency=args.concurrency, rounds=args.rounds
    )
    return _publish(result, args.out)


def _publish(result: dict[str, Any], out: Path | None) -> int:
    """Print the result as JSON (and write it to `out`)."""
    text = json.dumps(result, indent=2)
    if out:
        out.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0
