"""`tanji rollup PRODUCT` (and `tanji audit`, see api.cli.audit_cmds)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from api.cli import audit_cmds
from api.cli.common import emit, settings_of


def register(commands: Any, parent: argparse.ArgumentParser) -> None:
    """Add the roll-up commands."""
    rollup = commands.add_parser(
        "rollup",
        parents=[parent],
        help="cradle-to-gate footprint of a product from its suppliers' anchored declarations",
    )
    rollup.add_argument("product", help="product id (URN) of a declared product")
    rollup.add_argument("--factors", type=Path, help="secondary emission factor database (JSON)")
    rollup.add_argument("--json", action="store_true")
    rollup.add_argument(
        "--draft",
        type=Path,
        help="write the computed PACT v3 footprint here, for the chain leader to sign with `tanji declare sign`",
    )
    rollup.add_argument(
        "--scenario",
        action="append",
        default=[],
        metavar="ORG=FACTOR",
        help="what-if: scale the own emissions of ORG's products, e.g. acme-steel=0.8",
    )
    rollup.add_argument(
        "--totals-rule",
        metavar="RULE",
        help="which PACT reading of pcfExcludingBiogenicUptake to apply: pact-v3-description (default), "
        "pact-v3-x-comment or pact-v3-examples (see docs/accounting.md)",
    )
    rollup.add_argument(
        "--contributions",
        choices=["direct", "upstream"],
        default="direct",
        help="contribution convention: what each supplier emits itself, or its own plus what it pulls in",
    )
    _dataset_options(rollup)
    rollup.set_defaults(handler=cmd_rollup)
    audit_cmds.register(commands, parent, _dataset_options)


def _dataset_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--factor-dataset", metavar="NAME@VERSION", help="a stored factor dataset (see `tanji factors list`)"
    )
    command.add_argument(
        "--bind",
        action="append",
        default=[],
        metavar="PRODUCT=FACTOR_ID",
        help="use factor FACTOR_ID of --factor-dataset for input PRODUCT (repeatable)",
    )
    command.add_argument(
        "--accept-co2-only", action="store_true", help="allow CO2-only factors where CO2e is expected (warned)"
    )


def _factors(path: Path | None) -> list[Any]:
    from ledger.graph.factors import load_factor_database

    return load_factor_database(path)[0] if path else []


def _all_factors(args: argparse.Namespace, session: Any) -> tuple[list[Any], str | None]:
    """The file's factors and the stored dataset's (bindings applied), and the name recorded as their source."""
    from ledger.errors import InvalidInputError
    from ledger.service.factor_datasets import rollup_factors

    factors, name = _factors(args.factors), str(args.factors) if args.factors else None
    if args.bind and not args.factor_dataset:
        raise InvalidInputError("--bind needs --factor-dataset NAME@VERSION (the dataset the factor ids belong to)")
    if args.factor_dataset:
        bindings = dict(spec.partition("=")[::2] for spec in args.bind)
        if any(not product or not factor for product, factor in bindings.items()):
            raise InvalidInputError(f"--bind takes PRODUCT=FACTOR_ID, got {args.bind!r}")
        stored = rollup_factors(session, args.factor_dataset, bindings=bindings, accept_co2_only=args.accept_co2_only)
        for warning in stored.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        factors, name = [*factors, *stored.factors], ", ".join(filter(None, [name, stored.name]))
    return factors, name


def cmd_rollup(args: argparse.Namespace) -> int:
    """Compute and show (optionally draft, optionally a scenario)."""
    from api.compose import open_ledger
    from ledger.service.rollup import RollupRequest, Scenario, rollup_product

    scenarios = [Scenario.parse(spec) for spec in args.scenario]
    with open_ledger(settings_of(args)) as ledger, ledger.sessions() as session:
        factors, factors_name = _all_factors(args, session)
        request = RollupRequest(
            product=args.product,
            factors=factors,
            factors_name=factors_name,
            scenarios=scenarios,
            draft=args.draft is not None,
            totals=args.totals_rule,
            convention=args.contributions,
        )
        outcome = rollup_product(session, ledger.keyring, ledger.chain, request)
    if outcome.draft is not None:
        args.draft.write_text(json.dumps(outcome.draft, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    data = outcome.as_dict()
    emit(data, as_json=args.json, text=_text(outcome.report, data, args.draft))
    return 0


def _text(found: Any, data: dict[str, Any], draft: Path | None) -> str:
    lines = [
        f"{found.product_id}: {found.pcf_excluding_biogenic_uptake:.6f} kgCO2e per declared unit "
        f"(excluding biogenic uptake; including: {found.pcf_including_biogenic_uptake:.6f})"
        + ("" if found.complete else "  INCOMPLETE"),
        "components: " + ", ".join(f"{k} {v:.6f}" for k, v in found.components.items() if v),
        f"primary data share {found.primary_data_share:.1f} %; verified share {found.verified_share:.1f} %; DQR "
        + ", ".join(f"{k} {v:.2f}" for k, v in found.dqr.items()),
        "hotspots: "
        + "; ".join(f"{h['productId']} ({h['supplier']}) {100 * h['share']:.1f} %" for h in found.hotspots[:5]),
        "by tier: " + ", ".join(f"{tier}: {value:.6f}" for tier, value in found.by_tier.items()),
        f"provenance root {found.provenance['inputsRoot']} over {len(found.provenance['inputs'])} inputs; "
        f"residual {found.residual:.1e}",
    ]
    lines += [f"GAP: {g.consumer} needs {g.input_product}: {g.reason}" for g in found.gaps]
    lines += [f"needs re-evaluation: {p}" for p in found.needs_reevaluation]
    lines += [
        f"scenario {s['scenario']}: {s['before']:.6f} -> {s['after']:.6f} ({s['change']:+.6f}), "
        f"{s['recomputed_products']} product(s) recomputed"
        for s in data.get("scenarios", [])
    ]
    if draft:
        lines.append(f"draft written to {draft}: sign it with `tanji declare sign {draft} --wallet ...`")
    return "\n".join(lines)
