"""`tanji declare ...`, `tanji anchor ...`: sign (declarant side), submit, read, grant, anchor."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from api.cli.common import (
    add_sign_in_options,
    load_wallet_of,
    present_submissions,
    read_input,
    read_json_input,
    settings_of,
)


def register(commands: Any, parent: argparse.ArgumentParser) -> None:
    """Add the declaration and anchoring commands."""
    declare = commands.add_parser("declare", help="PCF declarations").add_subparsers(dest="sub", required=True)
    sign = declare.add_parser("sign", parents=[parent], help="sign a PACT v3 ProductFootprint with a local wallet")
    sign.add_argument("file", type=Path)
    sign.add_argument("--wallet", required=True)
    sign.add_argument("-o", "--output", type=Path, required=True)
    sign.add_argument("--chain-id", type=int, help="EIP-712 chain id (default: the workspace's chain)")
    sign.add_argument("--contract", help="TanjiLedger address (default: the workspace's)")
    sign.add_argument("--org", help="declaring organization, when the payload does not name it yet")
    sign.add_argument(
        "--supersedes",
        action="append",
        default=[],
        metavar="DIGEST",
        help="digest of a declaration this one replaces, when the workspace store cannot resolve precedingPfIds "
        "(repeatable); a supersession consent is signed for each with the same wallet",
    )
    sign.set_defaults(handler=cmd_sign)
    convert = declare.add_parser("convert", parents=[parent], help="convert a PACT v2 ProductFootprint to v3")
    convert.add_argument("file", type=Path)
    convert.add_argument("-o", "--output", type=Path, required=True)
    convert.add_argument("--mass-per-unit", help="kg per declared unit, when the v2 footprint does not give it")
    convert.set_defaults(handler=cmd_convert)
    submit = declare.add_parser("submit", parents=[parent], help="submit signed envelopes to the ledger")
    submit.add_argument("files", type=Path, nargs="+")
    submit.add_argument("--json", action="store_true")
    add_sign_in_options(submit)
    submit.set_defaults(handler=cmd_submit)
    show = declare.add_parser("show", parents=[parent], help="decrypt and print a declaration you may read")
    show.add_argument("key", help="declaration id or digest")
    show.add_argument("--as", dest="reader", required=True, help="the reading organization")
    add_sign_in_options(show, org=False)
    show.set_defaults(handler=cmd_show)
    grant = declare.add_parser("grant", parents=[parent], help="let another organization read a declaration")
    grant.add_argument("key")
    grant.add_argument("--to", required=True)
    grant.add_argument("--by", required=True, help="the declaring organization granting access")
    add_sign_in_options(grant, org=False)
    grant.set_defaults(handler=cmd_grant)

    revoke = declare.add_parser(
        "revoke",
        parents=[parent],
        help="revoke an anchored declaration on chain (by the declaring organization or a regulator)",
    )
    revoke.add_argument("key", help="declaration id or digest")
    revoke.add_argument("--wallet", required=True, help="a key of the declaring organization or of a regulator")
    revoke.add_argument(
        "--reason",
        required=True,
        help="data-error, methodology-change, misstatement, key-compromise, withdrawn, regulatory-order (or 1-6)",
    )
    add_sign_in_options(revoke, wallet=False)
    revoke.set_defaults(handler=cmd_revoke)

    supersede = declare.add_parser(
        "supersede",
        parents=[parent],
        help="record on chain that an anchored declaration is replaced by a newer anchored one (declarant's wallet)",
    )
    supersede.add_argument("key", help="the declaration replaced (id or digest)")
    supersede.add_argument("--by", required=True, help="the anchored successor declaration (id or digest)")
    supersede.add_argument("--wallet", required=True, help="a key of the declaring organization or of a regulator")
    add_sign_in_options(supersede, wallet=False)
    supersede.set_defaults(handler=cmd_supersede)

    anchor = commands.add_parser("anchor", help="batch anchoring").add_subparsers(dest="sub", required=True)
    flush = anchor.add_parser("flush", parents=[parent], help="close the current batch now and anchor it")
    flush.set_defaults(handler=cmd_flush)
    run = anchor.add_parser("run", parents=[parent], help="anchor batches as they close on size or age")
    run.add_argument("--poll", type=float, default=1.0)
    run.set_defaults(handler=cmd_run)


def cmd_sign(args: argparse.Namespace) -> int:
    """Sign locally: the key never leaves this machine."""
    from ledger.declarations.envelope import sign_declaration
    from ledger.declarations.extension_parse import with_declarant
    from ledger.signing import SigningDomain

    if args.chain_id and args.contract:
        domain = SigningDomain(args.chain_id, args.contract)
    elif settings_of(args).server:
        from api.cli.remote import commands as remote

        domain = SigningDomain(*remote.signing_domain(args))
    else:
        from api.compose import workspace

        deployment = workspace(settings_of(args)).config().deployment
        domain = SigningDomain(deployment.chain_id, deployment.ledger)
    payload = read_json_input(args.file)
    predecessors = _predecessor_digests(args, payload)
    account = load_wallet_of(args)
    payload = with_declarant(payload, args.org, account.address)
    envelope = sign_declaration(
        payload, domain=domain, private_key=account.key, declarant=account.address, supersedes=predecessors
    )
    args.output.write_text(json.dumps(envelope, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"signed {payload.get('id')} as {account.address}: digest {envelope['digest']} -> {args.output}")
    for consent in envelope.get("supersessions", []):
        print(f"  with supersession consent for {consent['predecessor']} (relayed on chain once both are anchored)")
    return 0


def _predecessor_digests(args: argparse.Namespace, payload: Any) -> list[bytes]:
    """Digests to consent to supersede: --supersedes, plus precedingPfIds resolved in the workspace store."""
    from ledger.canonical import unhex32

    digests = [unhex32(text.lower(), what="--supersedes digest") for text in args.supersedes]
    preceding = payload.get("precedingPfIds") if isinstance(payload, dict) else None
    settings = settings_of(args)
    if preceding and (settings.database_url or (settings.home / "tanji.sqlite3").is_file()):
        from api.compose import open_store
        from ledger.service.declaration_actions import stored_digests

        with open_store(settings).sessions() as session:
            digests += [unhex32(d, what="stored digest") for d in stored_digests(session, list(preceding)).values()]
    return list(dict.fromkeys(digests))


def cmd_submit(args: argparse.Namespace) -> int:
    """Ingest envelopes; exit 1 when any is rejected."""
    if settings_of(args).server:
        from api.cli.remote import commands as remote

        return remote.submit(args)
    from api.cli.progress import progress
    from api.compose import open_ledger

    raws = [read_input(path) for path in args.files]
    with open_ledger(settings_of(args)) as ledger, progress(len(raws), "submitting", "declaration") as advance:
        results = ledger.ingest.submit_many(raws, on_progress=advance)
    return present_submissions(args.files, results, as_json=args.json)


def cmd_show(args: argparse.Namespace) -> int:
    """Print a declaration's payload to an organization with the right to read it."""
    if settings_of(args).server:
        from api.cli.remote import commands as remote

        return remote.show(args)
    from api.compose import open_store
    from ledger.service.access import read_payload

    store = open_store(settings_of(args))
    with store.sessions() as session:
        payload = read_payload(session, store.keyring, args.key, args.reader)
    print(json.dumps(payload, indent=2, ensure_ascii=False))
    return 0


def cmd_grant(args: argparse.Namespace) -> int:
    """Record an access grant (by the declaring organization)."""
    if settings_of(args).server:
        from api.cli.remote import commands as remote

        return remote.grant(args)
    from api.compose import open_store
    from ledger.service.access import grant_access

    store = open_store(settings_of(args))
    with store.sessions() as session:
        grant = grant_access(session, args.key, recipient=args.to, granted_by=args.by)
    print(f"{grant.recipient} may now read {grant.declaration_id}")
    return 0


def cmd_flush(args: argparse.Namespace) -> int:
    """Close and anchor everything queued."""
    from api.compose import open_ledger

    with open_ledger(settings_of(args)) as ledger:
        report = ledger.anchoring.run_once(flush=True)
    print(
        f"anchored {report.anchored_declarations} declaration(s) in {report.anchored_batches} batch(es); "
        f"{report.rejected} rejected; {report.pending} still queued"
        + ("; chain unreachable, will retry" if report.chain_unavailable else "")
    )
    return 1 if report.chain_unavailable else 0


def cmd_run(args: argparse.Namespace) -> int:
    """Anchor continuously until interrupted."""
    from api.cli.progress import progress
    from api.compose import open_ledger

    with open_ledger(settings_of(args)) as ledger, progress(None, "anchored", "declaration") as advance:
        print("anchoring batches as they close; Ctrl-C to stop")
        ledger.anchoring.run_forever(poll=args.poll, on_report=lambda report: advance(report.anchored_declarations))
    return 0


def cmd_revoke(args: argparse.Namespace) -> int:
    """Send revokeDeclaration signed by the caller's own wallet."""
    if settings_of(args).server:
        from api.cli.remote import commands as remote

        return remote.revoke(args)
    from api.compose import open_ledger
    from ledger.codes import Reason
    from ledger.service.declaration_actions import revoke

    reason = Reason.from_name(args.reason)
    account = load_wallet_of(args)
    with open_ledger(settings_of(args)) as ledger, ledger.sessions() as session:
        change = revoke(session, ledger.chain, args.key, reason, account)
    print(
        f"revoked {change.declaration_id} (reason {int(reason)}) in block {change.block_number}, "
        f"signed by {change.signer}"
    )
    return 0


def cmd_supersede(args: argparse.Namespace) -> int:
    """Send supersedeDeclaration signed by the caller's own wallet."""
    if settings_of(args).server:
        from api.cli.remote import commands as remote

        return remote.supersede(args)
    from api.compose import open_ledger
    from ledger.service.declaration_actions import supersede

    account = load_wallet_of(args)
    with open_ledger(settings_of(args)) as ledger, ledger.sessions() as session:
        change = supersede(session, ledger.chain, args.key, args.by, account)
    print(
        f"superseded {change.declaration_id} by {change.successor_id} in block {change.block_number}, "
        f"signed by {change.signer}"
    )
    return 0


def cmd_convert(args: argparse.Namespace) -> int:
    """PACT v2 -> v3 (then add the Tanji extension and sign as usual)."""
    from ledger.pact.v2 import v2_to_v3

    document = read_json_input(args.file)
    footprint = document.get("data", document) if isinstance(document, dict) else document
    converted, warnings = v2_to_v3(footprint, mass_per_unit=args.mass_per_unit)
    args.output.write_text(json.dumps(converted, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    print(f"wrote {args.output}: PACT v3 footprint {converted['id']}" + "".join(f"\n  warning: {w}" for w in warnings))
    return 0
