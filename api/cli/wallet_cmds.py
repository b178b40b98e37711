"""`tanji wallet new NAME` and `tanji wallet list`: local signing keys (never sent anywhere)."""

from __future__ import annotations

import argparse
from typing import Any

from api.cli.common import emit, settings_of, wallet_password


def register(commands: Any, parent: argparse.ArgumentParser) -> None:
    """Add the wallet commands to `commands`."""
    wallet = commands.add_parser("wallet", help="local signing keys").add_subparsers(dest="sub", required=True)
    new = wallet.add_parser(
        "new", parents=[parent], help="create an encrypted key (password: $TANJI_WALLET_PASSWORD or prompt)"
    )
    new.add_argument("name")
    new.set_defaults(handler=cmd_wallet_new)
    listing = wallet.add_parser("list", parents=[parent], help="list wallets and their addresses")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=cmd_wallet_list)


def cmd_wallet_new(args: argparse.Namespace) -> int:
    """Create a wallet."""
    from ledger.wallets import create_wallet

    settings = settings_of(args)
    info = create_wallet(settings.home / "wallets", args.name, wallet_password(settings, confirm=True))
    print(f"created wallet {info.name} {info.address} ({info.path})")
    return 0


def cmd_wallet_list(args: argparse.Namespace) -> int:
    """List wallets."""
    from ledger.wallets import list_wallets

    wallets = list_wallets(settings_of(args).home / "wallets")
    data = [{"name": w.name, "address": w.address, "path": str(w.path)} for w in wallets]
    emit(data, as_json=args.json, text="\n".join(f"{w.name:<20} {w.address}" for w in wallets) or "no wallets")
    return 0
