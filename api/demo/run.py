"""Seed the demo (each step printed as it lands, a progress bar on a terminal) and record what was seeded."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from api.demo.plan import PACK, load_plan
from api.demo.request_steps import footprint_requests
from api.demo.review_steps import anomaly_flags, bank_claims
from api.demo.seed import STEPS, Demo
from api.demo.trust_steps import attestations, clients, grants, labels

if TYPE_CHECKING:
    from api.settings import Settings

ALL_STEPS = [*STEPS, footprint_requests, attestations, labels, grants, bank_claims, anomaly_flags, clients]


def state_path(settings: Settings) -> Path:
    """Where the seeded state is recorded (read by `--verify-only`, the summary and the tests)."""
    return settings.home / "demo" / "state.json"


def seed(settings: Settings) -> dict[str, Any]:
    """Run every step on the workspace's ledger; return and record the seeded state."""
    from api.cli.progress import progress
    from api.compose import open_ledger

    plan = load_plan()
    started = time.monotonic()
    with open_ledger(settings, batch_size=10_000, max_age=3600) as ledger:
        demo = Demo(ledger, plan)
        with progress(len(ALL_STEPS), "seeding the battery supply chain", unit="step") as advance:
            for number, step in enumerate(ALL_STEPS, start=1):
                began = time.monotonic()
                line = step(demo)
                print(f"[{number}/{len(ALL_STEPS)}] {line} ({time.monotonic() - began:.1f} s)", flush=True)
                advance(1)
    state = {
        "pack": PACK,
        "factorDataset": demo.factors_name,
        "bindings": plan.bindings,
        "warnings": demo.warnings,
        "organizations": [
            {"org": o.org, "name": o.name, "nameZh": o.name_zh, "kind": o.kind, "roles": list(o.roles)}
            | {"address": demo.wallets[o.org].address}
            for o in plan.organizations
        ],
        "declarations": demo.declarations,
        "attestations": demo.attestations,
        "assignments": demo.assignments,
        "labels": demo.labels,
        "disclosures": demo.disclosures,
        "claims": demo.claims,
        "requests": demo.requests,
        "flags": demo.flags,
        "credentials": str(settings.home / "demo" / "credentials.json"),
        "seconds": round(time.monotonic() - started, 1),
    }
    path = state_path(settings)
    path.write_text(json.dumps(state, indent=2, ensure_ascii=False), encoding="utf-8")
    return state
