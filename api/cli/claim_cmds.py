"""`tanji claim check FILE --as ORG [--json] [--evidence OUT]`: a bank's green-finance claim check.

Exit 0 when the claim holds, 1 when it does not hold or cannot be determined; errors use the table of api.errors
(an unknown product is not found: 3; a malformed claim is invalid input: 2).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from api.cli.common import add_sign_in_options, emit, read_json_input, settings_of

OUTCOME_WORDS = {"holds": "HOLDS", "does_not_hold": "DOES NOT HOLD", "cannot_be_determined": "CANNOT BE DETERMINED"}


def register(commands: Any, parent: argparse.ArgumentParser) -> None:
    """Add `tanji claim check`."""
    claim = commands.add_parser("claim", help="green-finance claim checks (banks)").add_subparsers(
        dest="sub", required=True
    )
    check = claim.add_parser(
        "check", parents=[parent], help="judge a claim (holds / does not hold / cannot be determined) with evidence"
    )
    check.add_argument("file", type=Path, help="the claim (JSON: subject, metric, comparison, threshold, asOf, ...)")
    check.add_argument(
        "--as",
        dest="viewer",
        required=True,
        help="the organization checking (the bank, or the declarant): only what was disclosed to it is used",
    )
    check.add_argument("--json", action="store_true")
    check.add_argument(
        "--evidence",
        type=Path,
        help="write the evidence proof bundle here (verify it with `tanji verify OUT`); for an organization's claim "
        "a directory with one bundle per declaration",
    )
    add_sign_in_options(check, org=False)
    check.set_defaults(handler=cmd_check)


def cmd_check(args: argparse.Namespace) -> int:
    """Check a claim against the workspace's ledger and chain, or (client mode) ask the server."""
    from ledger.claims.model import parse_claim
    from ledger.organizations import org_id

    document = read_json_input(args.file)
    claim = parse_claim(document)  # a malformed claim is refused before anything is opened
    org_id(args.viewer)
    settings = settings_of(args)
    data = _remote_check(args, document) if settings.server else _local_check(args, claim).as_dict()
    written = _write_evidence(args.evidence, data["evidence"]) if args.evidence else []
    lines = [f"claim {OUTCOME_WORDS[data['outcome']]}: {claim.subject.describe()} {claim.metric.value}"]
    lines += [f"  - {reason}" for reason in data["reasons"]]
    lines += [f"evidence: {path} (verify with `tanji verify {path}`)" for path in written]
    emit(data, as_json=args.json, text="\n".join(lines))
    return 0 if data["outcome"] == "holds" else 1


def _local_check(args: argparse.Namespace, claim: Any) -> Any:
    """The claim judged over the workspace, for the organization --as names."""
    from api.compose import open_ledger
    from ledger.service.claim_check import check_claim
    from ledger.service.visibility import Viewer

    with open_ledger(settings_of(args)) as ledger, ledger.sessions() as session:
        member = ledger.chain.member(args.viewer)
        viewer = Viewer(args.viewer, frozenset(member.roles) if member else frozenset())
        return check_claim(session, ledger.keyring, ledger.chain, ledger.chain.trust_anchors, claim, viewer)


def _remote_check(args: argparse.Namespace, document: Any) -> dict[str, Any]:
    """POST /v1/claims/check, signed in as --as with --wallet."""
    from api.cli.remote.commands import connect
    from ledger.errors import InvalidWalletError

    if not args.wallet:
        raise InvalidWalletError(
            "client mode: `tanji claim check` signs in to the server as --as and needs --wallet (that organization's "
            "local wallet)"
        )
    with connect(args, organization=args.viewer, wallet=args.wallet) as connection:
        data: dict[str, Any] = connection.post("/v1/claims/check", document)
    return data


def _write_evidence(target: Path, evidence: list[dict[str, Any]]) -> list[Path]:
    """The proof bundles: one in the file `target`; several in `target`/<declaration id>.json; none: no file."""
    bundles = [item["proofBundle"] for item in evidence]
    if not bundles:
        return []
    if len(bundles) == 1:
        target.write_text(json.dumps(bundles[0], indent=2) + "\n", encoding="utf-8")
        return [target]
    target.mkdir(parents=True, exist_ok=True)
    paths = []
    for bundle in bundles:
        path = target / f"{bundle['declarationId']}.json"
        path.write_text(json.dumps(bundle, indent=2) + "\n", encoding="utf-8")
        paths.append(path)
    return paths
