"""`tanji flags list [--product P] [--as ORG] [--json]`: anomaly flags against false and inflated claims (虚标滥标).

Flags inform and never block: the command exits 0 whether or not anything is flagged. Without --as it shows every
flag (the workspace operator's view, as a regulator's); with --as only those the organization may see.
"""

from __future__ import annotations

import argparse
from typing import Any

from api.cli.common import emit, settings_of


def register(commands: Any, parent: argparse.ArgumentParser) -> None:
    """Add `tanji flags list`."""
    flags = commands.add_parser("flags", help="anomaly flags (虚标滥标)").add_subparsers(dest="sub", required=True)
    listing = flags.add_parser("list", parents=[parent], help="list anomaly flags with their reasons and evidence")
    listing.add_argument("--product", help="only flags on declarations of this product id")
    listing.add_argument("--as", dest="viewer", help="only the flags this organization may see (default: all)")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=cmd_list)


def cmd_list(args: argparse.Namespace) -> int:
    """List the flags."""
    from api.compose import open_ledger
    from ledger.organizations import org_id
    from ledger.service.anomaly_flags import SEES_ALL_FLAGS, scan_flags
    from ledger.service.visibility import Viewer

    if args.viewer is not None:
        org_id(args.viewer)
    with open_ledger(settings_of(args)) as ledger, ledger.sessions() as session:
        if args.viewer is None:
            viewer = Viewer("(workspace operator)", frozenset({SEES_ALL_FLAGS}))
        else:
            member = ledger.chain.member(args.viewer)
            viewer = Viewer(args.viewer, frozenset(member.roles) if member else frozenset())
        found = scan_flags(session, ledger.keyring, ledger.chain, viewer, product_id=args.product)
    data = [item.as_dict() for item in found]
    lines = [
        f"[{item['severity']}] {item['code']} {item['productId']} declaration {item['declarationId']}: {item['reason']}"
        for item in data
    ] or ["no flags"]
    emit(data, as_json=args.json, text="\n".join(lines))
    return 0
