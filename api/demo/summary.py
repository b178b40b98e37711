"""What the demo seeded, read back from the ledger: organizations, declarations and their verification, the
pack's footprint as the engine rolls it up now (breakdown by component, tier, supplier, hotspots), labels as the
chain holds them."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

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
