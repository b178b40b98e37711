"""`tanji attest` (auditors) and `tanji label ...` (certification bodies; `label status` is the public check)."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from api.cli.common import emit, home_of

RESULTS = {"verified": 1, "qualified": 2, "rejected": 3}
ASSURANCE = {"limited": 1, "reasonable": 2}


def register(commands: Any, parent: argparse.ArgumentParser) -> None:
    """Add the attestation and label commands."""
    attest = commands.add_parser("attest", parents=[parent], help="record an auditor's verification of a declaration")
    attest.add_argument("key", help="declaration id or digest")
    attest.add_argument("--wallet", required=True, help="the auditor's wallet")
    attest.add_argument("--result", required=True, choices=sorted(RESULTS))
    attest.add_argument("--assurance", required=True, choices=sorted(ASSURANCE))
    attest.add_argument("--report", type=Path, required=True, help="the verification report (its hash is recorded)")
    attest.set_defaults(handler=cmd_attest)
    label = commands.add_parser("label", help="carbon labels (碳标识)").add_subparsers(dest="sub", required=True)
    issue = label.add_parser("issue", parents=[parent], help="issue a label on a declaration (certifier)")
    issue.add_argument("serial")
    issue.add_argument("--declaration", required=True, help="declaration id or digest the label rests on")
    issue.add_argument("--grade", required=True, help="grade text, at most 16 bytes (e.g. A+, 一级)")
    issue.add_argument("--valid-from", required=True, help="ISO date or date-time (UTC)")
    issue.add_argument("--valid-until", required=True, help="ISO date or date-time (UTC)")
    issue.add_argument("--wallet", required=True, help="the certifier's wallet")
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


def serial_id(serial: str) -> bytes:
    """On-chain id of a printed serial (keccak-256 of its UTF-8 text)."""
    from ledger.hashing import keccak256

    return keccak256(serial.strip().encode("utf-8"))


def _epoch(text: str) -> int:
    from ledger.errors import LedgerError

    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise LedgerError(f"{text!r} is not an ISO date or date-time (e.g. 2027-12-31)") from None
    return int((moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp())


def _wallet(args: argparse.Namespace) -> Any:
    from api.cli.wallet_cmds import wallet_password
    from ledger.wallets import load_wallet

    return load_wallet(home_of(args) / "wallets", args.wallet, wallet_password(confirm=False))


def cmd_attest(args: argparse.Namespace) -> int:
    """Attest a declaration digest."""
    from api.runtime import open_ledger
    from ledger.hashing import keccak256
    from ledger.storage import repository

    account = _wallet(args)
    report_hash = keccak256(args.report.read_bytes())
    with open_ledger(home_of(args)) as ledger, ledger.sessions() as session:
        row = repository.require_declaration(session=session, key=args.key)
        receipt = ledger.chain.tanji.attest(
            bytes.fromhex(row.digest[2:]), RESULTS[args.result], ASSURANCE[args.assurance], report_hash, sender=account
        )
    print(
        f"attested {row.id}: {args.result}, {args.assurance} assurance, report 0x{report_hash.hex()} "
        f"(block {receipt.block_number})"
    )
    return 0


def cmd_issue(args: argparse.Namespace) -> int:
    """Issue a label."""
    from api.runtime import open_ledger
    from ledger.errors import LedgerError
    from ledger.hashing import keccak256
    from ledger.storage import repository

    grade = args.grade.encode("utf-8")
    if not grade or len(grade) > 16:
        raise LedgerError(f"grade {args.grade!r} must be 1-16 bytes of UTF-8")
    account = _wallet(args)
    with open_ledger(home_of(args)) as ledger, ledger.sessions() as session:
        row = repository.require_declaration(session=session, key=args.declaration)
        receipt = ledger.chain.tanji.issue_label(
            serial_id(args.serial),
            keccak256(row.product_id.encode("utf-8")),
            bytes.fromhex(row.digest[2:]),
            grade,
            (_epoch(args.valid_from), _epoch(args.valid_until)),
            sender=account,
        )
    print(
        f"issued label {args.serial} ({args.grade}) on {row.product_id} declaration {row.id} "
        f"(block {receipt.block_number})"
    )
    return 0


def cmd_change(args: argparse.Namespace) -> int:
    """Suspend, reinstate or revoke a label."""
    from api.runtime import open_ledger
    from ledger.membership import reason_code

    code = reason_code(args.reason) if args.verb != "reinstate" else 0
    account = _wallet(args)
    with open_ledger(home_of(args)) as ledger:
        receipt = ledger.chain.tanji.change_label(args.verb, serial_id(args.serial), code, sender=account)
    print(
        f"{args.verb}d label {args.serial}" if args.verb.endswith("e") else f"{args.verb}ed label {args.serial}",
        f"(block {receipt.block_number})",
    )
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    """Public check by serial: label state and validity, and the declaration behind it when held here."""
    from api.runtime import open_ledger
    from ledger.service.stored import verify_stored
    from ledger.storage import repository

    serial = serial_id(args.serial)
    with open_ledger(home_of(args)) as ledger, ledger.sessions() as session:
        tanji = ledger.chain.tanji
        label = tanji.gateway.call(tanji.labels.functions.labelOf(serial))
        status = tanji.label_status(serial).name.lower()
        digest = "0x" + bytes(label[1]).hex()
        data: dict[str, Any] = {"serial": args.serial, "status": status}
        if status != "unknown":
            data.update(
                {
                    "grade": bytes(label[3]).rstrip(b"\0").decode(errors="replace"),
                    "issuerOrg": "0x" + bytes(label[2]).hex(),
                    "declarationDigest": digest,
                    "validFrom": datetime.fromtimestamp(int(label[4]), UTC).isoformat(),
                    "validUntil": datetime.fromtimestamp(int(label[5]), UTC).isoformat(),
                }
            )
            row = repository.get_declaration(session=session, key=digest)
            if row is not None:
                report = verify_stored(session, ledger.keyring, ledger.chain, row.id)
                data["declaration"] = {
                    "id": row.id,
                    "productId": row.product_id,
                    "valid": bool(report and report.valid),
                    "firstFailure": report.first_failure.detail if report and report.first_failure else None,
                }
    lines = [f"label {args.serial}: {status.upper()}"]
    if status != "unknown":
        lines.append(
            f"grade {data['grade']}, valid {data['validFrom']} .. {data['validUntil']}, on declaration {digest}"
        )
        if "declaration" in data:
            verdict = "VALID" if data["declaration"]["valid"] else f"INVALID: {data['declaration']['firstFailure']}"
            lines.append(f"declaration {data['declaration']['id']} ({data['declaration']['productId']}): {verdict}")
    emit(data, as_json=args.json, text="\n".join(lines))
    return 0 if status == "valid" else 1
