"""Helpers shared by the CLI command modules: settings, wallets, output."""

from __future__ import annotations

import argparse
import getpass
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from eth_account.signers.local import LocalAccount

    from api.settings import Settings


def settings_of(args: argparse.Namespace) -> Settings:
    """The process's settings with the command line's --home over TANJI_HOME and --server over TANJI_SERVER."""
    from api.settings import get_settings

    return get_settings().with_overrides(home=getattr(args, "home", None), server=getattr(args, "server", None))


def add_sign_in_options(parser: argparse.ArgumentParser, *, wallet: bool = True, org: bool = True) -> None:
    """--wallet and --org: whom client mode (--server) signs in as; unused against the local workspace."""
    if wallet:
        parser.add_argument("--wallet", help="client mode: the local wallet that signs in to the server")
    if org:
        parser.add_argument("--org", help="client mode: the organization (handle) the wallet signs in for")


def wallet_password(settings: Settings, *, confirm: bool) -> str:
    """Return $TANJI_WALLET_PASSWORD or ask for it on the terminal."""
    from ledger.errors import InvalidWalletError

    configured = settings.wallet_secret()
    if configured:
        return configured
    try:
        password = getpass.getpass("wallet password: ")
        repeated = getpass.getpass("repeat password: ") if confirm else password
    except (EOFError, OSError):
        raise InvalidWalletError("no terminal to ask for the wallet password; set TANJI_WALLET_PASSWORD") from None
    if repeated != password:
        raise InvalidWalletError("the two passwords differ; nothing was created")
    return password


def load_wallet_of(args: argparse.Namespace, name: str | None = None) -> LocalAccount:
    """Decrypt the wallet named by --wallet (or `name`) in the workspace's wallets/ directory."""
    from ledger.wallets import load_wallet

    settings = settings_of(args)
    account: LocalAccount = load_wallet(
        settings.home / "wallets", name or args.wallet, wallet_password(settings, confirm=False)
    )
    return account


def emit(data: Any, *, as_json: bool, text: str) -> None:
    """Print `data` as JSON or `text` for people."""
    print(json.dumps(data, indent=2, default=str) if as_json else text)


def hexstr(value: bytes) -> str:
    """Return 0x-prefixed hex."""
    return "0x" + value.hex()


def address_arg(text: str) -> str:
    """argparse type: a 20-byte hex address (checksummed when mixed case)."""
    from ledger.addresses import checksum, is_address

    if not is_address(text):
        raise argparse.ArgumentTypeError(f"{text!r} is not an Ethereum address (0x followed by 40 hex digits)")
    return checksum(text)
