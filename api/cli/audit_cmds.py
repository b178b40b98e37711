"""`tanji audit PRODUCT` (re-derive a rolled-up footprint) and the audit workflow: `tanji audit assign | unassign |
assigned | work | check-report`.

`tanji audit` keeps its first form: a first argument that is not one of the actions is the product to audit.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from api.cli.common import emit, load_wallet_of, read_json_input, settings_of

ACTIONS = ("assign", "unassign", "assigned", "work", "check-report")


def register(commands: Any, parent: argparse.ArgumentParser, dataset_options: Any) -> None:
    """Add `tanji audit` (its actions are parsed when it runs, see :func:`cmd_audit_any`)."""
    audit = commands.add_parser(
        "audit",
        parents=[parent],
        help="audit a rolled-up footprint, or assign auditors and do an assigned audit",
        description="tanji audit PRODUCT re-derives a rolled-up footprint; tanji audit ACTION ... with ACTION one of "
        + ", ".join(ACTIONS)
        + " (tanji audit ACTION --help)",
    )
    audit.add_argument("target", metavar="PRODUCT|ACTION")
    audit.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    audit.set_defaults(handler=cmd_audit_any, parent=parent, dataset_options=dataset_options)


def _action_parser(action: str, parent: argparse.ArgumentParser, dataset_options: Any) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=f"tanji audit {action}", parents=[parent])
    if action == "run":
        parser.prog = "tanji audit"
        parser.add_argument("product")
        parser.add_argument("--factors", type=Path, help="the factor database the roll-up used")
        parser.add_argument("--json", action="store_true")
        dataset_options(parser)
        return parser
    if action == "check-report":
        parser.add_argument("key", help="declaration id or digest")
        parser.add_argument("report", type=Path, help="the canonical attestation report (JSON)")
        parser.add_argument("--index", type=int, help="the attestation it should match (default: any)")
        parser.add_argument("--json", action="store_true")
        return parser
    if action != "assigned":
        parser.add_argument("key", help="declaration id or digest")
    parser.add_argument("--org", required=True, help="the organization acting (declarant, or the auditor)")
    parser.add_argument("--wallet", required=True, help="a wallet of --org (proves who acts)")
    if action in ("assign", "unassign"):
        parser.add_argument("--auditor", required=True, help="the auditor organization (handle)")
    if action == "assigned":
        parser.add_argument("--declaration", help="list the auditors of this declaration (its declarant only)")
    if action == "work":
        parser.add_argument("--factors", type=Path, help="the factor database a computed footprint used")
    parser.add_argument("--json", action="store_true")
    return parser


def cmd_audit_any(args: argparse.Namespace) -> int:
    """Parse the action (or the product) and run it."""
    action = args.target if args.target in ACTIONS else "run"
    rest = args.rest if action != "run" else [args.target, *args.rest]
    parsed = _action_parser(action, args.parent, args.dataset_options).parse_args(rest)
    for name, value in vars(parsed).items():
        setattr(args, name, value)
    handlers = {
        "run": cmd_audit,
        "assign": cmd_assign,
        "unassign": cmd_unassign,
        "assigned": cmd_assigned,
        "work": cmd_work,
        "check-report": cmd_check_report,
    }
    return handlers[action](args)


def cmd_audit(args: argparse.Namespace) -> int:
    """Audit; exit 0 when nothing is found, 1 otherwise."""
    from api.cli.rollup_cmds import _all_factors
    from api.compose import open_ledger
    from ledger.service.audit import audit

    with open_ledger(settings_of(args)) as ledger, ledger.sessions() as session:
        result = audit(session, ledger.keyring, ledger.chain, args.product, _all_factors(args, session)[0])
    lines = [
        f"{'PASSED' if result.passed else 'FAILED'} audit of {result.product_id} (declaration "
        f"{result.declaration_id}); {result.inputs_verified} input declaration(s) verified; residual "
        f"{result.residual}"
    ]
    lines += [f"  {d.location}: {d.message}" for d in result.discrepancies]
    emit(result.as_dict(), as_json=args.json, text="\n".join(lines))
    return 0 if result.passed else 1


def _assignment(item: Any) -> dict[str, Any]:
    return {
        "declarationId": item.declaration_id,
        "digest": item.digest,
        "productId": item.product_id,
        "declarant": item.declarant,
        "auditor": item.auditor,
        "assignedBy": item.assigned_by,
        "assignedAt": item.assigned_at.isoformat(),
    }


def cmd_assign(args: argparse.Namespace) -> int:
    """Assign an auditor to a declaration (the declarant)."""
    from api.compose import open_ledger
    from ledger.service.audit_assignments import assign_auditor, require_wallet_of

    account = load_wallet_of(args)
    with open_ledger(settings_of(args)) as ledger, ledger.sessions() as session:
        org = require_wallet_of(ledger.chain, account.address, args.org)
        done = assign_auditor(session, ledger.chain, args.key, args.auditor, by=org)
    text = f"assigned auditor {done.auditor} to {done.declaration_id} ({done.product_id}); it may now read it in full"
    emit(_assignment(done), as_json=args.json, text=text)
    return 0


def cmd_unassign(args: argparse.Namespace) -> int:
    """Withdraw an auditor's assignment (the declarant)."""
    from api.compose import open_ledger
    from ledger.service.audit_assignments import require_wallet_of, unassign_auditor

    account = load_wallet_of(args)
    with open_ledger(settings_of(args)) as ledger, ledger.sessions() as session:
        org = require_wallet_of(ledger.chain, account.address, args.org)
        unassign_auditor(session, args.key, args.auditor, by=org)
    emit({"unassigned": args.auditor, "declaration": args.key}, as_json=args.json, text=f"unassigned {args.auditor}")
    return 0


def cmd_assigned(args: argparse.Namespace) -> int:
    """The auditor's assignments, or (with --declaration) the auditors of one declaration."""
    from api.compose import open_ledger
    from ledger.service.audit_assignments import assignments_of_auditor, auditors_of, require_wallet_of

    account = load_wallet_of(args)
    with open_ledger(settings_of(args)) as ledger, ledger.sessions() as session:
        org = require_wallet_of(ledger.chain, account.address, args.org)
        found = (
            auditors_of(session, args.declaration, by=org) if args.declaration else assignments_of_auditor(session, org)
        )
    items = [_assignment(item) for item in found]
    lines = [f"{i['declarationId']} {i['productId']} of {i['declarant']}: auditor {i['auditor']}" for i in items]
    emit(items, as_json=args.json, text="\n".join(lines) or "no assignments")
    return 0


def cmd_work(args: argparse.Namespace) -> int:
    """The assigned auditor's work view; exit 1 when the arithmetic does not check."""
    from api.cli.rollup_cmds import _factors
    from api.cli.verify_cmds import attestation_lines
    from api.compose import open_ledger
    from ledger.service.audit_assignments import require_wallet_of
    from ledger.service.audit_work import work_view

    account = load_wallet_of(args)
    with open_ledger(settings_of(args)) as ledger, ledger.sessions() as session:
        org = require_wallet_of(ledger.chain, account.address, args.org)
        work = work_view(session, ledger.keyring, ledger.chain, args.key, org, _factors(args.factors))
    arithmetic = work.arithmetic
    kind = "roll-up re-derived" if work.computed else "stated totals against their components"
    lines = [
        f"declaration {work.declaration_id} ({work.product_id}) of {work.declarant}, digest {work.digest}",
        f"arithmetic ({kind}): {'PASSED' if arithmetic['passed'] else 'FAILED'}",
        *[f"  {item['location']}: {item['message']}" for item in arithmetic["discrepancies"]],
        *([f"evidence {e['name']}: sha256 {e['sha256']}" for e in work.evidence] or ["evidence: none pinned"]),
        *[
            f"factor {f['id']} v{f['version']} ({f['source']}) dataset {f['datasetHash']}"
            for f in work.emission_factors
        ],
        *[line for item in work.attestations for line in attestation_lines(item)],
    ]
    emit(work.as_dict(), as_json=args.json, text="\n".join(lines))
    return 0 if arithmetic["passed"] else 1


def cmd_check_report(args: argparse.Namespace) -> int:
    """Check a report file against the declaration's attestations on chain; exit 1 when it matches none."""
    from api.compose import open_ledger
    from ledger.service.attestation_reports import check_report
    from ledger.storage import repository

    report = read_json_input(args.report)
    with open_ledger(settings_of(args)) as ledger, ledger.sessions() as session:
        row = repository.require_declaration(session=session, key=args.key)
        items = ledger.chain.attestations(bytes.fromhex(row.digest[2:]))
    candidates = [item for item in items if args.index is None or item["index"] == args.index]
    checks = [(item["index"], check_report(report, item, row.digest)) for item in candidates]
    matched = [index for index, check in checks if check.ok]
    data = {"matches": matched, "checks": [{"index": i, "ok": c.ok, "detail": c.detail} for i, c in checks]}
    lines = [f"attestation {i}: {'MATCHES' if c.ok else 'FAILED'}: {c.detail}" for i, c in checks]
    emit(data, as_json=args.json, text="\n".join(lines) or f"declaration {row.id} has no attestation to check")
    if not matched:
        print(f"the report matches no attestation of {row.id}", file=sys.stderr)
    return 0 if matched else 1


def write_report(path: Path, report: dict[str, Any]) -> None:
    """Write the canonical report where the auditor asked (`tanji attest --out`)."""
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
