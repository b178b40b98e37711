"""`tanji verify` (exit 0 valid, 1 invalid, 2 usage) and `tanji proof export`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from api.cli.common import add_sign_in_options, emit, settings_of

EXIT_VALID, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def register(commands: Any, parent: argparse.ArgumentParser) -> None:
    """Add verify and proof commands."""
    verify = commands.add_parser("verify", parents=[parent], help="verify a declaration end to end")
    verify.add_argument("target", help="declaration id, digest, signed envelope file or proof bundle file")
    verify.add_argument("--json", action="store_true")
    verify.add_argument("--rpc-url", help="chain to verify a bundle against (default: the workspace's chain)")
    add_sign_in_options(verify)
    verify.set_defaults(handler=cmd_verify)
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


def _print(report: Any, as_json: bool) -> int:
    data = report.as_dict()
    lines = [f"{'VALID' if report.valid else 'INVALID'} declaration {report.declaration_id} digest {report.digest}"]
    marks = {True: "ok  ", False: "FAIL", None: "skip"}
    lines += [f"  [{marks[c.ok]}] {c.name:<10} {c.detail}" for c in report.checks]
    for path, value in report.info.get("revealed", {}).items():
        lines.append(f"  revealed {path} = {json.dumps(value, ensure_ascii=False)}")
    attestations = report.info.get("attestations")
    if isinstance(attestations, list):
        lines += [
            f"  attestation: {a['result']} ({a['assurance']} assurance) by {a['auditor']} in block {a['block']}"
            for a in attestations
        ] or ["  attestations: none"]
    for label in report.info.get("labels", []) if isinstance(report.info.get("labels"), list) else []:
        lines.append(f"  carbon label {label['serial']} grade {label['grade']}: {label['status']}")
    if report.first_failure:
        lines.append(f"first failure: {report.first_failure.name}: {report.first_failure.detail}")
    emit(data, as_json=as_json, text="\n".join(lines))
    return EXIT_VALID if report.valid else EXIT_INVALID


def cmd_verify(args: argparse.Namespace) -> int:
    """Verify by bundle, envelope file, id or digest."""
    from ledger.canonical import loads_exact

    settings = settings_of(args)
    path = Path(args.target)
    if not path.is_file():
        if settings.server:
            from api.cli.remote import commands as remote

            return _print(remote.verification(args), args.json)
        return _print(_verify_stored(settings, args.target), args.json)
    document = loads_exact(path.read_bytes())
    if isinstance(document, dict) and document.get("type") == "tanji.proof-bundle/1":
        from api.compose import chain_for_bundle
        from ledger.service.bundle import verify_bundle

        with chain_for_bundle(document, args.rpc_url, settings) as chain:
            return _print(verify_bundle(document, chain), args.json)
    from ledger.service.verify_stored import envelope_digest

    digest = envelope_digest(document)
    if not isinstance(digest, str):  # the file does not open: no need to reach the ledger
        return _print(digest, args.json)
    from api.compose import open_ledger
    from ledger.service.verify_stored import verify_signed_file

    with open_ledger(settings) as ledger, ledger.sessions() as session:
        report = verify_signed_file(session, ledger.keyring, ledger.chain, document, digest)
    return _print(report, args.json)


def _verify_stored(settings: Any, key: str) -> Any:
    from api.compose import open_ledger
    from ledger.service.verify_stored import require_verified

    with open_ledger(settings) as ledger, ledger.sessions() as session:
        return require_verified(session, ledger.keyring, ledger.chain, key)


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
