"""`tanji wallet new NAME`, `tanji wallet list`: local signing keys (never sent anywhere); and the two signatures
the web pages ask a member to make on its own machine: `tanji wallet siwe-sign NAME --message-file FILE` (a
Sign-In with Ethereum message) and `tanji wallet sign-transaction NAME --tx FILE` (a transaction the server
prepared, relayed after signing). Each prints only the signature or the signed bytes."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from api.cli.common import emit, load_wallet_of, settings_of, wallet_password


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
    siwe = wallet.add_parser(
        "siwe-sign", parents=[parent], help="sign an EIP-4361 sign-in message (from the web sign-in page)"
    )
    siwe.add_argument("name")
    siwe.add_argument("--message-file", type=Path, required=True, help="the message, exactly as the page shows it")
    siwe.set_defaults(handler=cmd_wallet_siwe_sign)
    sign_tx = wallet.add_parser(
        "sign-transaction", parents=[parent], help="sign a transaction a web page prepared (JSON), print the raw bytes"
    )
    sign_tx.add_argument("name")
    sign_tx.add_argument("--tx", type=Path, required=True, help="the prepared transaction (JSON, as the page shows)")
    sign_tx.set_defaults(handler=cmd_wallet_sign_transaction)


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


def cmd_wallet_siwe_sign(args: argparse.Namespace) -> int:
    """Print the EIP-191 signature of a sign-in message, after checking it names this wallet's address."""
    from eth_account.messages import encode_defunct

    from ledger.errors import InvalidWalletError
    from ledger.service.siwe import parse_siwe_message

    text = _read_text(args.message_file).replace("\r\n", "\n").strip("\n")
    message = parse_siwe_message(text)
    account = load_wallet_of(args, args.name)
    if message.address.lower() != account.address.lower():
        raise InvalidWalletError(
            f"the message signs in {message.address}, but wallet {args.name!r} holds {account.address}; "
            "ask the sign-in page for a message with this wallet's address"
        )
    print(f"signing in to {message.domain} as {account.address}", file=sys.stderr)
    print(account.sign_message(encode_defunct(text=text)).signature.to_0x_hex())
    return 0


def cmd_wallet_sign_transaction(args: argparse.Namespace) -> int:
    """Print the signed raw transaction of a prepared one (its key must be this wallet's; no value is ever sent)."""
    from ledger.errors import InvalidWalletError

    prepared = prepared_transaction(_read_text(args.tx))
    account = load_wallet_of(args, args.name)
    sender = str(prepared.pop("from", account.address))
    if sender.lower() != account.address.lower():
        raise InvalidWalletError(
            f"the transaction was prepared for {sender}, but wallet {args.name!r} holds {account.address}; "
            "prepare it again with this wallet's address"
        )
    signed = account.sign_transaction(prepared)
    print(f"signing {prepared['to']} nonce {prepared['nonce']} as {account.address}", file=sys.stderr)
    print("0x" + bytes(signed.raw_transaction).hex())
    return 0


QUANTITIES = ("value", "gas", "nonce", "chainId", "gasPrice", "maxFeePerGas", "maxPriorityFeePerGas")


def prepared_transaction(text: str) -> dict[str, Any]:
    """The prepared transaction as eth-account signs it (quantities as integers); refuses any value transfer."""
    from ledger.errors import InvalidWalletError

    try:
        data = json.loads(text)
        fields = {key: data[key] for key in ("to", "data", "gas", "nonce", "chainId")}
        fields.update({key: data[key] for key in ("from", "value", *QUANTITIES) if key in data})
        for key in QUANTITIES:
            if key in fields:
                value = fields[key]
                fields[key] = int(value, 16) if isinstance(value, str) else int(value)
    except (ValueError, KeyError, TypeError) as exc:
        raise InvalidWalletError(
            f"the prepared transaction is not the JSON a Tanji page shows ({exc}); copy it again from the page"
        ) from None
    if fields.get("value", 0):
        raise InvalidWalletError("the prepared transaction sends value; Tanji never asks a member to send value")
    return fields


def _read_text(path: Path) -> str:
    from api.errors import FileMissingError

    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FileMissingError(f"{path} does not exist; save what the page shows into it first") from None
