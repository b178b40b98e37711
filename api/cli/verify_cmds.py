"""`tanji verify` (exit 0 valid, 1 invalid, 2 usage), `tanji proof export` and `tanji trust export`.

A bundle is verified against trust anchors the verifier chose (`--trust FILE` published by the consortium
operator, or the workspace's deployment), never against the contract addresses the bundle names.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from api.cli.common import add_sign_in_options, emit, read_json_input, settings_of

EXIT_VALID, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def register(commands: Any, parent: argparse.ArgumentParser) -> None:
    """Add verify and proof commands."""
    verify = commands.add_parser("verify", parents=[parent], help="verify a declaration end to end")
    verify.add_argument("target", help="declaration id, digest, signed envelope file or proof bundle file")
    verify.add_argument("--json", action="store_true")
    verify.add_argument("--rpc-url", help="chain to verify a bundle against (default: the workspace's chain)")
    verify.add_argument(
        "--trust",
        type=Path,
        help="the consortium's published deployment (chain id + contract addresses, from `tanji trust export`) "
        "to verify a bundle against (default: the workspace's deployment; never the bundle's own addresses)",
    )
    verify.add_argument(
        "--as-of", dest="as_of", type=_as_of, help="judge the validity period at this date (default: now)"
    )
    add_sign_in_options(verify)
    verify.set_defaults(handler=cmd_verify)
    trust = commands.add_parser("trust", help="trust anchors for verifiers").add_subparsers(dest="sub", required=True)
    trust_export = trust.add_parser(
        "export", parents=[parent], help="write this workspace's deployment (chain id + contracts) for verifiers"
    )
    trust_export.add_argument("-o", "--output", type=Path, required=True)
    trust_export.set_defaults(handler=cmd_trust_export)
    proof = commands.add_parser("proof", help="portable proofs").add_subparsers(dest="sub", required=True)
    export = proof.add_parser("export", parents=[parent], help="write a proof bundle verifiable without Tanji's DB")
    export.add_argument("key", help="declaration id or digest")
    export.add_argument("-o", "--output", type=Path, required=True)
    export.add_argument(
        "--disclose",
        help="comma-separated fields to reveal (selective disclosure), e.g. "
        "productIds,declaredUnitOfMeasurement,pcfExcludingBiogenicUptake",
    )
    add_sign_in_options(export)
    export.set_defaults(handler=cmd_export)


def _as_of(text: str) -> int:
    """--as-of: an ISO date or date-time (UTC when no zone is given), as epoch seconds."""
    from datetime import UTC, datetime

    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO date or date-time (e.g. 2029-01-31)") from None
    return int((moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp())


def _headline(report: Any) -> str:
    """The verdict and only authenticated identifiers (the report sets them once the signature is checked)."""
    if report.digest is None:
        return f"{report.verdict}: nothing authenticated (see the first failure)"
    named = f"declaration {report.declaration_id}" if report.declaration_id else "declaration (id not disclosed)"
    return f"{report.verdict} {named} digest {report.digest}"


def attestation_lines(item: dict[str, Any]) -> list[str]:
    """One attestation as a verification lists it: result, auditor, withdrawal with its reason, report check."""
    head = (
        f"  attestation {item.get('index', '?')}: {item['result']} ({item['assurance']} assurance) by {item['auditor']}"
    )
    head += f" in block {item['block']}"
    if item.get("withdrawnAtBlock"):
        reason = item.get("withdrawReasonName") or item.get("withdrawReason")
        head += f", WITHDRAWN in block {item['withdrawnAtBlock']} (reason {reason})"
    lines = [head]
    if "reportCheck" in item:
        lines.append(f"    report {item['reportHash']}: {item['reportCheck']}")
    if "standard" in item:
        lines.append(f"    standard {item['standard']}; scope: {item['scope']}")
        lines += [f"    finding: {text}" for text in item.get("findings", [])] or ["    findings: none"]
    return lines


def _print(report: Any, as_json: bool) -> int:
    data = report.as_dict()
    lines = [_headline(report)]
    marks = {True: "ok  ", False: "FAIL", None: "skip"}
    lines += [f"  [{marks[c.ok]}] {c.name:<10} {c.detail}" for c in report.checks]
    for path, value in report.info.get("revealed", {}).items():
        lines.append(f"  revealed {path} = {json.dumps(value, ensure_ascii=False)}")
    attestations = report.info.get("attestations")
    if isinstance(attestations, list):
        lines += [line for a in attestations for line in attestation_lines(a)] or ["  attestations: none"]
    for label in report.info.get("labels", []) if isinstance(report.info.get("labels"), list) else []:
        state = "VALID" if label["status"] == "valid" else f"INVALID ({str(label['status']).upper()})"
        lines.append(f"  carbon label {label['serial']} grade {label['grade']}: {state}")
    if report.first_failure:
        lines.append(f"first failure: {report.first_failure.name}: {report.first_failure.detail}")
    emit(data, as_json=as_json, text="\n".join(lines))
    return EXIT_VALID if report.valid else EXIT_INVALID


def cmd_verify(args: argparse.Namespace) -> int:
    """Verify by bundle, envelope file, id or digest."""
    settings = settings_of(args)
    path = Path(args.target)
    if not (path.exists() or path.suffix.lower() == ".json" or "/" in args.target):  # an id or a digest
        if settings.server:
            from api.cli.remote import commands as remote

            return _print(remote.verification(args), args.json)
        return _print(_verify_stored(settings, args.target, args.as_of), args.json)
    document = read_json_input(path)
    if isinstance(document, dict) and str(document.get("type", "")).startswith("tanji.proof-bundle/"):
        from api.compose import verifier_chain
        from ledger.service.bundle import verify_bundle

        with verifier_chain(settings, rpc_url=args.rpc_url, trust=args.trust) as (chain, anchors):
            return _print(verify_bundle(document, chain, anchors, as_of=args.as_of), args.json)
    from ledger.service.verify_stored import envelope_digest

    digest = envelope_digest(document)
    if not isinstance(digest, str):  # the file does not open: no need to reach the ledger
        return _print(digest, args.json)
    from api.compose import open_ledger
    from ledger.service.verify_stored import verify_signed_file

    with open_ledger(settings) as ledger, ledger.sessions() as session:
        report = verify_signed_file(session, ledger.keyring, ledger.chain, document, digest, as_of=args.as_of)
    return _print(report, args.json)


def _verify_stored(settings: Any, key: str, as_of: int | None) -> Any:
    from api.compose import open_ledger
    from ledger.service.verify_stored import require_verified

    with open_ledger(settings) as ledger, ledger.sessions() as session:
        return require_verified(session, ledger.keyring, ledger.chain, key, as_of=as_of)


def cmd_trust_export(args: argparse.Namespace) -> int:
    """Write the workspace's deployment as the trust anchors file verifiers pass to `tanji verify --trust`."""
    from api.compose import trust_anchors

    anchors = trust_anchors(settings_of(args))
    args.output.write_text(json.dumps(anchors.published(), indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.output}: chain {anchors.chain_id}, ledger {anchors.ledger}; publish it for verifiers")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Write a proof bundle."""
    if settings_of(args).server:
        from api.cli.remote import commands as remote

        return remote.export_proof(args)
    from api.compose import open_store, trust_anchors
    from ledger.service.bundle import export_proof

    settings = settings_of(args)
    anchors = trust_anchors(settings)
    store = open_store(settings)
    reveal = [name.strip() for name in args.disclose.split(",")] if args.disclose else None
    with store.sessions() as session:
        row, bundle = export_proof(session, store.keyring, args.key, anchors, reveal=reveal)
    args.output.write_text(json.dumps(bundle, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    kind = f"disclosing {', '.join(reveal)}" if reveal else "with the full payload"
    print(f"wrote {args.output}: proof bundle of {row.id} {kind}")
    return 0
