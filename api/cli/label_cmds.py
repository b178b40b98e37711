"""`tanji attest` (auditors) and `tanji label ...` (certification bodies; `label status` is the public check)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from api.cli import label_tools_cmds
from api.cli.common import emit, load_wallet_of, settings_of

KIND_CHOICES = ("carbon-footprint", "carbon-reduction", "carbon-neutral")
RESULT_CHOICES = ("qualified", "rejected", "verified")
ASSURANCE_CHOICES = ("limited", "reasonable")


def register(commands: Any, parent: argparse.ArgumentParser) -> None:
    """Add the attestation and label commands."""
    attest = commands.add_parser("attest", parents=[parent], help="record an auditor's verification of a declaration")
    attest.add_argument("key", help="declaration id or digest")
    attest.add_argument("--wallet", required=True, help="the auditor's wallet")
    attest.add_argument("--result", required=True, choices=RESULT_CHOICES)
    attest.add_argument("--assurance", required=True, choices=ASSURANCE_CHOICES)
    attest.add_argument(
        "--standard", default="ISO 14064-3", help="the verification standard (ISO 14064-3, ISO 14067, GB/T 24067, ...)"
    )
    attest.add_argument("--finding", action="append", default=[], help="one finding (repeatable)")
    attest.add_argument("--scope", help="what was verified (default: the product footprint per declared unit)")
    attest.add_argument(
        "--report-file",
        "--report",
        dest="report_file",
        type=Path,
        help="the full verification report document; its SHA-256 goes into the signed canonical report",
    )
    attest.add_argument("--out", type=Path, help="also write the canonical report (whose hash is recorded) here")
    attest.set_defaults(handler=cmd_attest)
    attestation = commands.add_parser("attestation", help="attestations").add_subparsers(dest="sub", required=True)
    withdraw = attestation.add_parser(
        "withdraw", parents=[parent], help="withdraw an attestation (the attesting auditor or a regulator)"
    )
    withdraw.add_argument("key", help="declaration id or digest")
    withdraw.add_argument("--index", type=int, required=True, help="the attestation's index (see `tanji verify`)")
    withdraw.add_argument("--reason", required=True, help="data-error, misstatement, ... (or 1-6)")
    withdraw.add_argument("--wallet", required=True)
    withdraw.set_defaults(handler=cmd_withdraw)
    label = commands.add_parser("label", help="carbon labels (碳标识)").add_subparsers(dest="sub", required=True)
    issue = label.add_parser("issue", parents=[parent], help="issue a label on a declaration (certifier)")
    issue.add_argument("serial")
    issue.add_argument("--declaration", required=True, help="declaration id or digest the label rests on")
    add_terms_options(issue)
    issue.add_argument("--wallet", required=True, help="the certifier's wallet")
    issue.add_argument(
        "--attestation", type=int, help="index of the attestation the label rests on (default: the newest positive)"
    )
    issue.set_defaults(handler=cmd_issue)
    for verb in ("suspend", "reinstate", "revoke"):
        sub = label.add_parser(verb, parents=[parent], help=f"{verb} a label")
        sub.add_argument("serial")
        sub.add_argument("--wallet", required=True)
        if verb != "reinstate":
            sub.add_argument("--reason", required=True, help="data-error, misstatement, ... (or 1-6)")
        sub.set_defaults(handler=cmd_change, verb=verb)
    status = label.add_parser("status", parents=[parent], help="public check of a label by its serial")
    status.add_argument("serial")
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler=cmd_status)
    label_tools_cmds.register(label, parent)


def add_terms_options(issue: argparse.ArgumentParser) -> None:
    """The label terms a certifier states (committed on chain by their hash)."""
    issue.add_argument("--filing-number", required=True, help="备案号, e.g. ZJ-TBS-2026-000123")
    issue.add_argument("--kind", default="carbon-footprint", choices=KIND_CHOICES)
    issue.add_argument("--scheme", default="national-2025", help="national-2025 (default), zhejiang, shanghai")
    issue.add_argument(
        "--value",
        help="certified kgCO2e per declared unit (default and, for a footprint label, must be: the declaration's)",
    )
    issue.add_argument("--category", help="catalogue id (e.g. cn-pcf-2025-05) or 统计用产品分类 code: grades the value")
    issue.add_argument("--benchmark-version", help="the category benchmark's version (default: the newest imported)")
    issue.add_argument("--grade", help="expected grade, at most 16 bytes (e.g. A+, 一级); must be the benchmark's")
    issue.add_argument("--score", help="expected score; must be the benchmark's")
    issue.add_argument("--valid-from", required=True, help="ISO date or date-time (UTC)")
    issue.add_argument("--valid-until", required=True, help="ISO date or date-time (UTC)")


def cmd_attest(args: argparse.Namespace) -> int:
    """Attest a declaration: the canonical report's hash goes on chain, the report stays in the ledger."""
    from api.cli.audit_cmds import write_report
    from api.compose import open_ledger
    from ledger.codes import Assurance, AttestationResult
    from ledger.service.attestation import attest

    account = load_wallet_of(args)
    document = args.report_file.read_bytes() if args.report_file else None
    with open_ledger(settings_of(args)) as ledger, ledger.sessions() as session:
        done = attest(
            session,
            ledger.chain,
            args.key,
            result=AttestationResult[args.result.upper()],
            assurance=Assurance[args.assurance.upper()],
            sender=account,
            standard=args.standard,
            findings=tuple(args.finding),
            scope=args.scope,
            report=document,
        )
    if args.out:
        write_report(args.out, done.report)
    print(
        f"attested {done.declaration_id}: {args.result}, {args.assurance} assurance ({done.report['standard']}, "
        f"{len(done.report['findings'])} finding(s)), report 0x{done.report_hash.hex()} "
        f"(attestation {done.index}, block {done.block_number})"
    )
    return 0


def cmd_withdraw(args: argparse.Namespace) -> int:
    """Withdraw an attestation."""
    from api.compose import open_ledger
    from ledger.codes import Reason
    from ledger.service.attestation import withdraw_attestation

    reason = Reason.from_name(args.reason)
    account = load_wallet_of(args)
    with open_ledger(settings_of(args)) as ledger, ledger.sessions() as session:
        block = withdraw_attestation(session, ledger.chain, args.key, args.index, reason, account)
    print(f"withdrew attestation {args.index} of {args.key} (reason {int(reason)}) in block {block}")
    return 0


def cmd_issue(args: argparse.Namespace) -> int:
    """Issue a label."""
    from api.compose import open_ledger
    from ledger.service.labels import LabelIssue, issue_label

    request = LabelIssue(
        serial=args.serial,
        declaration=args.declaration,
        valid_from=args.valid_from,
        valid_until=args.valid_until,
        filing_number=args.filing_number,
        kind=args.kind,
        scheme=args.scheme,
        value=args.value,
        grade=args.grade,
        score=args.score,
        category=args.category,
        benchmark_version=args.benchmark_version,
        attestation_index=args.attestation,
    )
    request.precheck()  # refuse bad terms before asking for the wallet password
    account = load_wallet_of(args)
    with open_ledger(settings_of(args)) as ledger, ledger.sessions() as session:
        issued = issue_label(session, ledger.keyring, ledger.chain, request, account)
    terms = issued.terms
    score = f" (score {terms.score})" if terms.score is not None else ""
    grade = f", grade {terms.grade}{score}" if terms.grade else ""
    print(
        f"issued {terms.kind.value} label {issued.serial}: {terms.value} {terms.unit}{grade}, "
        f"filing {terms.filing_number}, "
        f"on {terms.product_id} declaration {terms.declaration_id} (terms 0x{terms.terms_hash().hex()}, "
        f"block {issued.block_number})"
    )
    return 0


def cmd_change(args: argparse.Namespace) -> int:
    """Suspend, reinstate or revoke a label."""
    from api.compose import open_ledger
    from ledger.codes import Reason
    from ledger.service.labels import change_label

    reason = Reason.from_name(args.reason) if args.verb != "reinstate" else None
    account = load_wallet_of(args)
    with open_ledger(settings_of(args)) as ledger:
        block = change_label(ledger.chain, args.serial, args.verb, reason, account)
    done = f"{args.verb}d" if args.verb.endswith("e") else f"{args.verb}ed"
    print(f"{done} label {args.serial}", f"(block {block})")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    """Public check by serial: label state and validity, and the declaration behind it when held here."""
    from api.compose import open_ledger
    from ledger.service.label_check import check_label

    with open_ledger(settings_of(args)) as ledger, ledger.sessions() as session:
        check = check_label(session, ledger.keyring, ledger.chain, args.serial)
    data = check.as_dict()
    state = "VALID" if check.valid else f"INVALID ({check.status_text.upper()}): {check.reason}"
    lines = [f"label {args.serial}: {state}"]
    if check.details:
        value = f"{data['kind']} {data['value']} {data['unit']}, " if data["termsVerified"] else "terms not held here, "
        lines.append(
            f"{value}grade {data['grade'] or '-'}, valid {data['validFrom']} .. {data['validUntil']}, "
            f"on declaration {data['declarationDigest']}"
        )
    if check.declaration is not None:
        verdict = "VALID" if check.declaration["valid"] else f"INVALID: {check.declaration['firstFailure']}"
        lines.append(f"declaration {check.declaration['id']} ({check.declaration['productId']}): {verdict}")
    emit(data, as_json=args.json, text="\n".join(lines))
    return 0 if check.valid else 1
