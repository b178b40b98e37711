"""What the demo seeded, read back from the ledger: organizations, declarations and their verification, the
pack's footprint as the engine rolls it up now (breakdown by component, tier, supplier, hotspots), labels as the
chain holds them; and the walkthrough printed when the server starts."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from api.demo.seed import FACTOR_SET

if TYPE_CHECKING:
    from api.settings import Settings

DEEPEST_TIER_SHOWN = 6


def verify_all(settings: Settings, state: dict[str, Any]) -> list[str]:
    """Verify every seeded declaration from the store and the chain; the lines that differ from what the demo
    expects (current ones valid, superseded and revoked ones refused with that status)."""
    from api.compose import open_ledger
    from ledger.service.verify_stored import verify_stored

    problems = []
    with open_ledger(settings) as ledger, ledger.sessions() as session:
        for item in state["declarations"]:
            report = verify_stored(session, ledger.keyring, ledger.chain, item["id"])
            failure = report.first_failure if report is not None else None
            seen = "valid" if report is not None and report.valid else (failure.detail if failure else "missing")
            if (item["expected"] == "valid") != (seen == "valid") or item["expected"] not in seen.lower():
                problems.append(f"{item['product']} {item['id']} ({item['kind']}): expected {item['expected']}, {seen}")
    return problems


def pack_rollup(settings: Settings, state: dict[str, Any]) -> Any:
    """The pack's roll-up report now, over the anchored chain and the demo's factors."""
    from api.compose import open_ledger
    from api.demo.plan import load_plan
    from ledger.service.factor_datasets import rollup_factors
    from ledger.service.rollup import RollupRequest, rollup_product

    plan = load_plan()
    with open_ledger(settings) as ledger, ledger.sessions() as session:
        factors = rollup_factors(session, plan.factor_dataset, bindings=plan.bindings, accept_co2_only=True)
        request = RollupRequest(state["pack"], factors.factors, factors_name=factors.name)
        return rollup_product(session, ledger.keyring, ledger.chain, request).report


def label_statuses(settings: Settings, state: dict[str, Any]) -> dict[str, str]:
    """Each demo label's status as the chain reports it."""
    from api.compose import open_ledger
    from ledger.service.label_check import check_label

    with open_ledger(settings) as ledger, ledger.sessions() as session:
        return {
            label["serial"]: check_label(session, ledger.keyring, ledger.chain, label["serial"]).status.text
            for label in state["labels"]
        }


def summary_text(state: dict[str, Any], found: Any, labels: dict[str, str], problems: list[str]) -> str:
    """The printed summary."""
    kinds = Counter(d["kind"] for d in state["declarations"])
    expected = Counter(d["expected"] for d in state["declarations"])
    lines = [f"organizations ({len(state['organizations'])}):"]
    lines += [f"  {o['org']:<22} {o['kind']:<44} {','.join(o['roles']) or '-'}" for o in state["organizations"]]
    products = {d["product"] for d in state["declarations"]}
    lines.append(
        f"products {len(products)}; declarations {len(state['declarations'])} ("
        + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
        + "; now "
        + ", ".join(f"{n} {k}" for k, n in sorted(expected.items()))
        + ")"
    )
    lines.append(
        f"verification: {len(state['declarations']) - len(problems)} of {len(state['declarations'])} as expected"
    )
    lines += [f"  UNEXPECTED {p}" for p in problems]
    lines.append(
        f"pack {found.product_id}: {found.pcf_excluding_biogenic_uptake:.3f} kgCO2e per pack (engine roll-up now; "
        f"primary data {found.primary_data_share:.1f} %, verified {found.verified_share:.1f} %)"
    )
    tiers = {int(tier): value for tier, value in found.by_tier.items()}
    deep = sum(value for tier, value in tiers.items() if tier > DEEPEST_TIER_SHOWN)
    lines.append(
        "  by tier: "
        + ", ".join(f"{tier}: {value:.3f}" for tier, value in tiers.items() if tier <= DEEPEST_TIER_SHOWN)
        + f", deeper (round trips through the recycling loop): {deep:.3f}"
    )
    top = sorted(found.by_supplier.items(), key=lambda item: -item[1])[:6]
    lines.append("  by supplier: " + ", ".join(f"{org} {value:.3f}" for org, value in top))
    lines.append(
        "  hotspots: "
        + "; ".join(f"{h['productId'].rsplit(':', 1)[-1]} {100 * h['share']:.1f} %" for h in found.hotspots[:5])
    )
    lines.append(f"  factors: {state['factorDataset']}")
    bound = state.get("bindings", {})
    lines.append("  bound inputs: " + ", ".join(f"{k.rsplit(':', 1)[-1]} = {v}" for k, v in bound.items()))
    lines += [f"  warning: {w}" for w in state["warnings"][:2]]
    lines.append(
        "attestations: " + ", ".join(f"{a['product'].rsplit(':', 1)[-1]} {a['result']}" for a in state["attestations"])
    )
    requests = state.get("requests", [])
    lines.append(f"footprint requests ({len(requests)}, by tier):")
    for tier in sorted({r["tier"] for r in requests}):
        at = [r for r in requests if r["tier"] == tier]
        tally = Counter(r["status"] for r in at)
        overdue = [r["product"].rsplit(":", 1)[-1] for r in at if r["overdue"]]
        lines.append(
            f"  tier {tier}: "
            + ", ".join(f"{n} {s}" for s, n in sorted(tally.items()))
            + (f"; overdue: {', '.join(overdue)}" if overdue else "")
        )
    lines.append("bank claims (greenbank, on what the pack maker disclosed):")
    lines += [f"  {c['outcome'].replace('_', ' '):<16} {c['title']}" for c in state.get("claims", [])]
    flags = state.get("flags", [])
    lines.append(f"anomaly flags for the regulator ({len(flags)}):")
    lines += [
        f"  [{f['severity']}] {f['code']} {f['productId'].rsplit(':', 1)[-1]} {f['declarationId'][:8]}: {f['reason']}"
        for f in flags
    ]
    lines.append("labels: " + ", ".join(f"{serial} {status}" for serial, status in labels.items()))
    return "\n".join(lines)


def walkthrough_links(state: dict[str, Any]) -> list[tuple[str, str, str | None]]:
    """(what, path, the organization to sign in as, None when public) of each place to look at."""
    pack = state["pack"]
    leader = next(o["org"] for o in state["organizations"] if "chain-leader" in o["roles"])
    current = next(d for d in reversed(state["declarations"]) if d["product"] == pack and d["expected"] == "valid")
    links: list[tuple[str, str, str | None]] = [
        ("API reference (OpenAPI)", "/docs", None),
        ("chain and contracts", "/v1/health", None),
        ("organizations", "/v1/organizations", None),
        ("pack declaration", f"/v1/declarations/{current['id']}", leader),
        ("pack declaration versions", f"/v1/declarations/{current['id']}/versions", leader),
        ("pack roll-up (breakdown, hotspots)", f"/v1/rollups/{pack}?factors={FACTOR_SET}", leader),
        ("pack attestations", f"/v1/declarations/{current['id']}/attestations", None),
        ("requests sent (outbox)", "/v1/requests?box=outbox", leader),
        ("request coverage by tier", f"/v1/requests/coverage?factors={FACTOR_SET}", leader),
    ]
    if state.get("requests"):
        receiver = state["requests"][-1]["to"]
        links.append((f"requests received by {receiver}", "/v1/requests?box=inbox", receiver))
    links += [
        (f"pack PCF as disclosed to {d['recipient']}", f"/v1/declarations/{d['declaration']}", d["recipient"])
        for d in state.get("disclosures", [])
    ]
    auditor = next(o["org"] for o in state["organizations"] if "auditor" in o["roles"])
    links.append(("audit assignments", "/v1/audits", auditor))
    regulator = next(o["org"] for o in state["organizations"] if "regulator" in o["roles"])
    links.append(("anomaly flags to review", "/v1/flags", regulator))
    for item in state["labels"]:
        links.append((f"label {item['serial']}", f"/v1/labels/{item['serial']}", None))
        links.append((f"label {item['serial']} QR code", f"/v1/labels/{item['serial']}/qr.svg", None))
    return links


def walkthrough(state: dict[str, Any], base: str) -> str:
    """URLs to open and the demo sign-in credentials."""
    lines = [f"Tanji demo serving on {base}"]
    for what, path, org in walkthrough_links(state):
        lines.append(f"  {what + ':':<36} {base}{path}" + (f"  (signed in as {org})" if org else ""))
    lines.append(
        f"  {'bank claim check:':<36} POST {base}/v1/claims/check  (signed in as greenbank; a claim of "
        "examples/battery/bank-claims.json with an asOf)"
    )
    lines.append(f"sign in: POST {base}/auth/token with HTTP Basic client id:secret and grant_type=client_credentials")
    lines.append(f"(the credentials are also in {state['credentials']}, mode 0600):")
    credentials = json.loads(Path(state["credentials"]).read_text(encoding="utf-8"))
    lines += [f"  {c['organization']:<22} {c['clientId']}  {c['secret']}" for c in credentials]
    lines.append("stop with Ctrl-C")
    return "\n".join(lines)
