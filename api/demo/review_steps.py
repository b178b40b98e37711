"""Demo steps that look at what was declared: the bank's claim checks (examples/battery/bank-claims.json, judged
on what the pack maker disclosed to it) and the anomaly flags the regulator sees (computed on demand, never
stored: the summary lists what the scan finds)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from api.demo.plan import EXAMPLES
from api.demo.seed import Demo

CLAIMS = EXAMPLES / "battery" / "bank-claims.json"
BANK, REGULATOR = "greenbank", "mee-regulator"


def bank_claims(demo: Demo) -> str:
    """The bank checks each claim as of now, on the disclosed fields and the chain's statuses; evidence bundles
    are written to demo/claims/ (verify them with `tanji verify FILE`)."""
    from ledger.claims.model import parse_claim
    from ledger.service.claim_check import check_claim
    from ledger.service.visibility import Viewer

    ledger = demo.ledger
    moment = datetime.now(UTC).isoformat(timespec="seconds")
    folder = ledger.home / "demo" / "claims"
    folder.mkdir(parents=True, exist_ok=True)
    for number, item in enumerate(json.loads(CLAIMS.read_text(encoding="utf-8"))["claims"], start=1):
        claim = parse_claim({key: value for key, value in item.items() if key != "title"} | {"asOf": moment})
        with ledger.sessions() as session:
            checked = check_claim(
                session, ledger.keyring, ledger.chain, ledger.chain.trust_anchors, claim, Viewer(BANK)
            ).as_dict()
        evidence = folder / f"claim-{number}.json"
        evidence.write_text(json.dumps(checked, indent=2, ensure_ascii=False), encoding="utf-8")
        demo.claims.append(
            {"title": item["title"], "outcome": checked["outcome"], "reasons": checked["reasons"]}
            | {"evidence": str(evidence)}
        )
    outcomes = ", ".join(c["outcome"] for c in demo.claims)
    return f"{BANK} checked {len(demo.claims)} claims on the pack ({outcomes}); evidence in {folder}"


def anomaly_flags(demo: Demo) -> str:
    """The flags a regulator sees over the whole store, as the scan finds them now."""
    from ledger.service.anomaly_flags import scan_flags
    from ledger.service.visibility import Viewer

    ledger = demo.ledger
    with ledger.sessions() as session:
        found = scan_flags(session, ledger.keyring, ledger.chain, Viewer(REGULATOR, frozenset({"regulator"})))
    demo.flags = [item.as_dict() for item in found]
    codes = sorted({item.flag.code for item in found})
    return f"{len(found)} anomaly flags for {REGULATOR} to review ({', '.join(codes) or 'none'})"
