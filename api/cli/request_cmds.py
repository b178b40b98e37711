"""`tanji request ...`: footprint requests by tier. A chain leader requests declarations from its tier-1
suppliers, a supplier forwards a request to its own suppliers, the receiver fulfils it with an anchored declaration
or rejects it; `coverage` shows the chain leader what is requested, answered, overdue and missing, and how much of
its product's footprint rests on supplier-specific and attested data. With --server the same over /v1/requests,
signed in with --wallet for the organization named by --by / --as."""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path
from typing import Any

from api.cli.common import add_sign_in_options, emit, settings_of

ACTING = "the organization acting (as with `tanji declare grant --by`)"


def moment(text: str) -> datetime:
    """argparse type: an ISO 8601 date-time with a time zone (``2026-12-31T18:00:00+08:00``, ``...Z``)."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an ISO 8601 date-time; give e.g. 2026-12-31T18:00:00+08:00"
        ) from None
    if value.tzinfo is None:
        raise argparse.ArgumentTypeError(f"{text!r} has no time zone; add one, e.g. {text}Z or {text}+08:00")
    return value


def register(commands: Any, parent: argparse.ArgumentParser) -> None:
    """Add the request commands."""
    request = commands.add_parser("request", help="footprint requests by tier (chain leader -> suppliers)")
    sub = request.add_subparsers(dest="sub", required=True)
    create = sub.add_parser("create", parents=[parent], help="request declarations from a tier-1 supplier")
    create.add_argument("--by", required=True, help="the chain leader requesting (" + ACTING + ")")
    create.add_argument("--to", required=True, help="the tier-1 supplier organization")
    create.add_argument("--product", action="append", required=True, help="product id or material code (repeatable)")
    create.add_argument("--deadline", type=moment, required=True, help="ISO 8601 date-time with a time zone")
    create.add_argument("--note", help="a note for the supplier")
    forward = sub.add_parser("forward", parents=[parent], help="forward a request you received to your supplier")
    forward.add_argument("request_id")
    forward.add_argument("--by", required=True, help="the organization the request was sent to (" + ACTING + ")")
    forward.add_argument("--to", required=True, help="your supplier (one tier down)")
    forward.add_argument("--product", action="append", help="input product to ask for (default: the requested one)")
    forward.add_argument("--deadline", type=moment, help="default: the deadline of the request forwarded")
    forward.add_argument("--note")
    fulfil = sub.add_parser("fulfil", parents=[parent], help="answer a request with your anchored declaration")
    fulfil.add_argument("request_id")
    fulfil.add_argument("--by", required=True, help="the organization the request was sent to (" + ACTING + ")")
    fulfil.add_argument("--declaration", required=True, help="id or digest of your current, anchored declaration")
    reject = sub.add_parser("reject", parents=[parent], help="decline a request with a reason")
    reject.add_argument("request_id")
    reject.add_argument("--by", required=True, help="the organization the request was sent to (" + ACTING + ")")
    reject.add_argument("--code", required=True, help="AccessDenied, NotFound, BadRequest or NotImplemented")
    reject.add_argument("--message", required=True, help="why")
    listing = sub.add_parser("list", parents=[parent], help="requests you received (inbox) or sent (outbox)")
    listing.add_argument("--as", dest="org", required=True, help="the organization whose requests to list")
    box = listing.add_mutually_exclusive_group()
    box.add_argument("--inbox", dest="box", action="store_const", const="inbox", help="received (the default)")
    box.add_argument("--outbox", dest="box", action="store_const", const="outbox", help="sent")
    listing.add_argument("--status", choices=("open", "fulfilled", "rejected"))
    listing.add_argument("--at", type=moment, help="judge overdue at this moment (default: now; local only)")
    cover = sub.add_parser("coverage", parents=[parent], help="a chain leader's coverage by tier and by product")
    cover.add_argument("--as", dest="org", required=True, help="the chain leader")
    cover.add_argument("--product", help="one product of the chain leader (default: all it declares)")
    cover.add_argument("--factors", type=Path, help="secondary emission factor database (JSON file; local only)")
    cover.add_argument("--factor-set", help="a factor set held in the workspace's (or server's) factors/ directory")
    cover.add_argument("--at", type=moment, help="judge overdue at this moment (default: now; local only)")
    for parser, handler in (
        (create, cmd_create),
        (forward, cmd_forward),
        (fulfil, cmd_fulfil),
        (reject, cmd_reject),
        (listing, cmd_list),
        (cover, cmd_coverage),
    ):
        parser.add_argument("--json", action="store_true")
        add_sign_in_options(parser, org=False)
        parser.set_defaults(handler=handler)
    listing.set_defaults(box="inbox")


def _remote(args: argparse.Namespace, org: str) -> Any:
    """A RequestsApi signed in as `org` with --wallet, in client mode; None against the local workspace."""
    if not settings_of(args).server:
        return None
    from api.cli.remote import commands as remote
    from api.cli.remote.requests import RequestsApi
    from ledger.errors import InvalidInputError, InvalidOrganizationError

    if getattr(args, "at", None) is not None or getattr(args, "factors", None) is not None:
        raise InvalidInputError(
            "client mode: --at and --factors are local only; the server judges overdue now and rolls up with "
            "--factor-set"
        )
    if not args.wallet:
        raise InvalidOrganizationError(
            f"client mode: `tanji request {args.sub}` signs in to the server as {org!r} and needs --wallet (a wallet "
            "holding a key of that organization)"
        )
    return _Remote(remote.connect(args, organization=org, wallet=args.wallet), RequestsApi)


class _Remote:
    """Opens the connection for one call."""

    def __init__(self, connection: Any, api: Any) -> None:
        self.connection, self.api = connection, api

    def call(self, name: str, *arguments: Any) -> Any:
        with self.connection as opened:
            return getattr(self.api(opened), name)(*arguments)


def _present(rows: list[dict[str, Any]], *, as_json: bool) -> int:
    lines = [
        f"{r['id']}  tier {r['tier']}  {r['requester']} -> {r['receiver']}  {r['product_id']}  {r['status']}"
        + (" OVERDUE" if r["overdue"] else "")
        + (f"  deadline {r['deadline']}" if r["deadline"] else "")
        + (f"  declaration {r['declaration_id']}" if r["declaration_id"] else "")
        + (f"  {r['reason_code']}: {r['reason_message']}" if r["reason_code"] else "")
        for r in rows
    ]
    emit(rows, as_json=as_json, text="\n".join(lines) or "no requests")
    return 0


def _local() -> tuple[Any, Any]:
    from api.compose import open_chain, open_store

    return open_chain, open_store


def cmd_create(args: argparse.Namespace) -> int:
    """Open one request per product."""
    remote = _remote(args, args.by)
    if remote is not None:
        return _present(remote.call("create", args.to, args.product, args.deadline, args.note), as_json=args.json)
    from ledger.service.footprint_requests import create_requests

    open_chain, open_store = _local()
    settings = settings_of(args)
    with open_chain(settings) as chain, open_store(settings).sessions() as session:
        made = create_requests(
            session, chain, by=args.by, to=args.to, products=args.product, deadline=args.deadline, note=args.note
        )
    return _present([view.as_dict() for view in made], as_json=args.json)


def cmd_forward(args: argparse.Namespace) -> int:
    """Forward a received request one tier down."""
    remote = _remote(args, args.by)
    if remote is not None:
        made = remote.call("forward", args.request_id, args.to, args.product, args.deadline, args.note)
        return _present(made, as_json=args.json)
    from ledger.service.footprint_requests import forward_request

    open_chain, open_store = _local()
    settings = settings_of(args)
    with open_chain(settings) as chain, open_store(settings).sessions() as session:
        views = forward_request(
            session,
            chain,
            args.request_id,
            by=args.by,
            to=args.to,
            products=args.product,
            deadline=args.deadline,
            note=args.note,
        )
    return _present([view.as_dict() for view in views], as_json=args.json)


def cmd_fulfil(args: argparse.Namespace) -> int:
    """Fulfil with an anchored declaration."""
    remote = _remote(args, args.by)
    if remote is not None:
        return _present([remote.call("fulfil", args.request_id, args.declaration)], as_json=args.json)
    from ledger.service.footprint_requests import fulfil_request

    open_chain, open_store = _local()
    settings = settings_of(args)
    with open_chain(settings) as chain, open_store(settings).sessions() as session:
        done = fulfil_request(session, chain, args.request_id, by=args.by, declaration=args.declaration)
    return _present([done.as_dict()], as_json=args.json)


def cmd_reject(args: argparse.Namespace) -> int:
    """Reject with a reason."""
    remote = _remote(args, args.by)
    if remote is not None:
        return _present([remote.call("reject", args.request_id, args.code, args.message)], as_json=args.json)
    from ledger.service.footprint_requests import reject_request

    with _local()[1](settings_of(args)).sessions() as session:
        done = reject_request(session, args.request_id, by=args.by, code=args.code, message=args.message)
    return _present([done.as_dict()], as_json=args.json)


def cmd_list(args: argparse.Namespace) -> int:
    """List the inbox or the outbox."""
    remote = _remote(args, args.org)
    if remote is not None:
        return _present(remote.call("list", args.box, args.status), as_json=args.json)
    from ledger.service.footprint_requests import list_requests

    with _local()[1](settings_of(args)).sessions() as session:
        found = list_requests(session, args.org, box=args.box, status=args.status, now=args.at)
    return _present([view.as_dict() for view in found], as_json=args.json)


def cmd_coverage(args: argparse.Namespace) -> int:
    """Print the chain leader's coverage."""
    remote = _remote(args, args.org)
    if remote is not None:
        found = remote.call("coverage", args.product, args.factor_set)
        emit(found, as_json=args.json, text=coverage_text(found))
        return 0
    from ledger.graph.factors import load_factor_database
    from ledger.service.factor_sets import load_factor_set
    from ledger.service.request_coverage import coverage

    open_chain, open_store = _local()
    settings = settings_of(args)
    store = open_store(settings)
    factors = load_factor_database(args.factors)[0] if args.factors else []
    if args.factor_set:
        factors = [*factors, *load_factor_set(settings.home / "factors", args.factor_set)]
    with open_chain(settings) as chain, store.sessions() as session:
        report = coverage(session, store.keyring, chain, args.org, product=args.product, factors=factors, now=args.at)
    data = report.as_dict()
    emit(data, as_json=args.json, text=coverage_text(data))
    return 0


def coverage_text(found: dict[str, Any]) -> str:
    """The coverage for people (from its JSON form, local or remote)."""
    lines = [f"coverage of {found['leader']} at {found['now']}"]
    for title, table in (("tier", found["by_tier"]), ("product", found["by_product"])):
        for key, tally in table.items():
            lines.append(
                f"  {title} {key}: requested {tally['requested']}, fulfilled {tally['fulfilled']}, rejected "
                f"{tally['rejected']}, open {tally['open']}, overdue {tally['overdue']}"
            )
            lines.extend(f"    rejected by {r['receiver']}: {r['code']}: {r['message']}" for r in tally["rejections"])
    for item in found["products"]:
        lines.append(f"  product {item['product']}")
        lines.extend(f"    missing: {m['input']} (tier {m['tier']}, input of {m['consumer']})" for m in item["missing"])
        progress = item["progress"]
        if progress is None:
            lines.append(f"    progress unavailable: {item['problem']}")
            continue
        lines.append(
            f"    footprint {progress['total']:.6g} kgCO2e: own {progress['own_share']:.1%}, supplier-specific "
            f"{progress['supplier_specific_share']:.1%}, secondary {progress['secondary_share']:.1%}, attested "
            f"{progress['attested_share']:.1%}"
        )
        lines.extend(f"    gap: {g['input']} of {g['consumer']} (no declaration, no factor)" for g in progress["gaps"])
    return "\n".join(lines)
