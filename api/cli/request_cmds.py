"""`tanji request ...`: footprint requests by tier. A chain leader requests declarations from its tier-1
suppliers, a supplier forwards a request to its own suppliers, the receiver fulfils it with an anchored declaration
or rejects it; `coverage` shows the chain leader what is requested, answered, overdue and missing, and how much of
its product's footprint rests on supplier-specific and attested data."""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import Any

from api.cli.common import emit, settings_of

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
    create.add_argument("--json", action="store_true")
    create.set_defaults(handler=cmd_create)
    forward = sub.add_parser("forward", parents=[parent], help="forward a request you received to your supplier")
    forward.add_argument("request_id")
    forward.add_argument("--by", required=True, help="the organization the request was sent to (" + ACTING + ")")
    forward.add_argument("--to", required=True, help="your supplier (one tier down)")
    forward.add_argument("--product", action="append", help="input product to ask for (default: the requested one)")
    forward.add_argument("--deadline", type=moment, help="default: the deadline of the request forwarded")
    forward.add_argument("--note")
    forward.add_argument("--json", action="store_true")
    forward.set_defaults(handler=cmd_forward)
    fulfil = sub.add_parser("fulfil", parents=[parent], help="answer a request with your anchored declaration")
    fulfil.add_argument("request_id")
    fulfil.add_argument("--by", required=True, help="the organization the request was sent to (" + ACTING + ")")
    fulfil.add_argument("--declaration", required=True, help="id or digest of your current, anchored declaration")
    fulfil.add_argument("--json", action="store_true")
    fulfil.set_defaults(handler=cmd_fulfil)
    reject = sub.add_parser("reject", parents=[parent], help="decline a request with a reason")
    reject.add_argument("request_id")
    reject.add_argument("--by", required=True, help="the organization the request was sent to (" + ACTING + ")")
    reject.add_argument("--code", required=True, help="AccessDenied, NotFound, BadRequest or NotImplemented")
    reject.add_argument("--message", required=True, help="why")
    reject.add_argument("--json", action="store_true")
    reject.set_defaults(handler=cmd_reject)
    listing = sub.add_parser("list", parents=[parent], help="requests you received (inbox) or sent (outbox)")
    listing.add_argument("--as", dest="org", required=True, help="the organization whose requests to list")
    box = listing.add_mutually_exclusive_group()
    box.add_argument("--inbox", dest="box", action="store_const", const="inbox", help="received (the default)")
    box.add_argument("--outbox", dest="box", action="store_const", const="outbox", help="sent")
    listing.add_argument("--status", choices=("open", "fulfilled", "rejected"))
    listing.add_argument("--at", type=moment, help="judge overdue at this moment (default: now)")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=cmd_list, box="inbox")
    cover = sub.add_parser("coverage", parents=[parent], help="a chain leader's coverage by tier and by product")
    cover.add_argument("--as", dest="org", required=True, help="the chain leader")
    cover.add_argument("--product", help="one product of the chain leader (default: all it declares)")
    cover.add_argument("--factors", type=_path, help="secondary emission factor database (JSON) for the roll-up")
    cover.add_argument("--at", type=moment, help="judge overdue at this moment (default: now)")
    cover.add_argument("--json", action="store_true")
    cover.set_defaults(handler=cmd_coverage)


def _path(text: str) -> Any:
    from pathlib import Path

    return Path(text)


def _present(views: list[Any], *, as_json: bool) -> int:
    lines = [
        f"{v.id}  tier {v.tier}  {v.requester} -> {v.receiver}  {v.product_id}  {v.status}"
        + (" OVERDUE" if v.overdue else "")
        + (f"  deadline {v.deadline.isoformat()}" if v.deadline else "")
        + (f"  declaration {v.declaration_id}" if v.declaration_id else "")
        + (f"  {v.reason_code}: {v.reason_message}" if v.reason_code else "")
        for v in views
    ]
    emit([v.as_dict() for v in views], as_json=as_json, text="\n".join(lines) or "no requests")
    return 0


def cmd_create(args: argparse.Namespace) -> int:
    """Open one request per product."""
    from api.compose import open_chain, open_store
    from ledger.service.footprint_requests import create_requests

    settings = settings_of(args)
    store = open_store(settings)
    with open_chain(settings) as chain, store.sessions() as session:
        made = create_requests(
            session, chain, by=args.by, to=args.to, products=args.product, deadline=args.deadline, note=args.note
        )
    return _present(made, as_json=args.json)


def cmd_forward(args: argparse.Namespace) -> int:
    """Forward a received request one tier down."""
    from api.compose import open_chain, open_store
    from ledger.service.footprint_requests import forward_request

    settings = settings_of(args)
    store = open_store(settings)
    with open_chain(settings) as chain, store.sessions() as session:
        made = forward_request(
            session,
            chain,
            args.request_id,
            by=args.by,
            to=args.to,
            products=args.product,
            deadline=args.deadline,
            note=args.note,
        )
    return _present(made, as_json=args.json)


def cmd_fulfil(args: argparse.Namespace) -> int:
    """Fulfil with an anchored declaration."""
    from api.compose import open_chain, open_store
    from ledger.service.footprint_requests import fulfil_request

    settings = settings_of(args)
    store = open_store(settings)
    with open_chain(settings) as chain, store.sessions() as session:
        done = fulfil_request(session, chain, args.request_id, by=args.by, declaration=args.declaration)
    return _present([done], as_json=args.json)


def cmd_reject(args: argparse.Namespace) -> int:
    """Reject with a reason."""
    from api.compose import open_store
    from ledger.service.footprint_requests import reject_request

    store = open_store(settings_of(args))
    with store.sessions() as session:
        done = reject_request(session, args.request_id, by=args.by, code=args.code, message=args.message)
    return _present([done], as_json=args.json)


def cmd_list(args: argparse.Namespace) -> int:
    """List the inbox or the outbox."""
    from api.compose import open_store
    from ledger.service.footprint_requests import list_requests

    store = open_store(settings_of(args))
    with store.sessions() as session:
        found = list_requests(session, args.org, box=args.box, status=args.status, now=args.at)
    return _present(found, as_json=args.json)


def cmd_coverage(args: argparse.Namespace) -> int:
    """Print the chain leader's coverage."""
    from api.compose import open_chain, open_store
    from ledger.graph.factors import load_factor_database
    from ledger.service.request_coverage import coverage

    settings = settings_of(args)
    store = open_store(settings)
    factors = load_factor_database(args.factors)[0] if args.factors else []
    with open_chain(settings) as chain, store.sessions() as session:
        found = coverage(session, store.keyring, chain, args.org, product=args.product, factors=factors, now=args.at)
    emit(found.as_dict(), as_json=args.json, text=coverage_text(found))
    return 0


def coverage_text(found: Any) -> str:
    """The coverage for people."""
    lines = [f"coverage of {found.leader} at {found.now.isoformat()}"]
    for title, table in (("tier", found.by_tier), ("product", found.by_product)):
        for key, tally in table.items():
            lines.append(
                f"  {title} {key}: requested {tally.requested}, fulfilled {tally.fulfilled}, rejected "
                f"{tally.rejected}, open {tally.open}, overdue {tally.overdue}"
            )
            lines.extend(f"    rejected by {r['receiver']}: {r['code']}: {r['message']}" for r in tally.rejections)
    for item in found.products:
        lines.append(f"  product {item.product}")
        lines.extend(f"    missing: {m.input_product} (tier {m.tier}, input of {m.consumer})" for m in item.missing)
        if item.progress is not None:
            p = item.progress
            lines.append(
                f"    footprint {p.total:.6g} kgCO2e: own {p.own_share:.1%}, supplier-specific "
                f"{p.supplier_specific_share:.1%}, secondary {p.secondary_share:.1%}, attested {p.attested_share:.1%}"
            )
            lines.extend(f"    gap: {line} of {consumer} (no declaration, no factor)" for consumer, line in p.gaps)
        else:
            lines.append(f"    progress unavailable: {item.problem}")
    return "\n".join(lines)
