"""Helpers shared by the CLI command modules: settings, wallets, output."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sqlite3
from pathlib import Path
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


def read_input(path: Path) -> bytes:
    """The bytes of input file `path`, refused before any parsing when its JSON nests too deep (see safe_json)."""
    from ledger.safe_json import check_nesting

    data = path.read_bytes()
    check_nesting(data, source=str(path))
    return data


def read_json_input(path: Path) -> Any:
    """Parse input file `path` through `ledger.safe_json` (bounded nesting, no duplicate keys); errors name it."""
    from ledger.safe_json import read_json

    return read_json(path)


def known_error(exc: BaseException) -> BaseException:
    """`exc`, or the Tanji error that says the same in terms of the file involved (at the CLI boundary).

    An OSError naming a file becomes a FileAccessError naming it with a remedy; a damaged SQLite database becomes a
    LedgerDatabaseError or ChainDatabaseError. Anything else (Tanji's own errors included) is returned unchanged.
    """
    from api.errors import is_known

    if is_known(exc):
        return exc
    if isinstance(exc, OSError) and exc.filename is not None:
        return _file_error(exc, Path(os.fsdecode(exc.filename)))
    cause = getattr(exc, "orig", None)  # SQLAlchemy wraps the driver's error: the ledger database
    if isinstance(cause, sqlite3.DatabaseError) and not isinstance(cause, sqlite3.OperationalError):
        from ledger.errors import LedgerDatabaseError

        return LedgerDatabaseError(
            f"the ledger database (tanji.sqlite3 in the workspace) is damaged: {cause}; "
            "restore it from a backup (see docs/operations.md)"
        )
    if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError):
        from chain_tools.errors import ChainDatabaseError  # the embedded chain is the one raw sqlite3 user

        return ChainDatabaseError(
            f"the embedded chain database (chain/chain.sqlite3 in the workspace) is damaged: {exc}; "
            "restore it from a backup (see docs/operations.md)"
        )
    return exc


def _file_error(exc: OSError, path: Path) -> BaseException:
    from api.errors import FileAccessError, FileDeniedError, FileKindError, FileMissingError

    if isinstance(exc, FileNotFoundError):
        if not path.parent.is_dir():
            return FileMissingError(
                f"{path}: the directory {path.parent} does not exist; check the path, or create it first "
                f"(mkdir -p {path.parent})"
            )
        return FileMissingError(f"{path}: no such file; check the path")
    if isinstance(exc, PermissionError):
        return FileDeniedError(f"{path}: permission denied; check its owner and mode (ls -l {path})")
    if isinstance(exc, IsADirectoryError):
        return FileKindError(f"{path} is a directory; name a file")
    if isinstance(exc, NotADirectoryError):
        return FileKindError(f"{path}: part of this path is a file, not a directory; check the path")
    return FileAccessError(f"{path}: {exc.strerror or exc}; check the disk and the path")


def present_submissions(files: list[Path], results: list[Any], *, as_json: bool) -> int:
    """Print one row per submitted file (local ingest results and the server's alike); exit 1 if any is rejected."""
    rows: list[dict[str, Any]] = [
        {
            "file": str(path),
            "id": r.id,
            "digest": r.digest,
            "status": r.status,
            "duplicate": r.duplicate,
            "error": r.error,
            "warnings": list(r.warnings),
        }
        for path, r in zip(files, results, strict=True)
    ]
    lines = [
        f"{row['file']}: {row['status']}{' (already submitted)' if row['duplicate'] else ''} {row['id'] or ''} "
        f"{row['digest'] or ''}"
        + (f"\n  error: {row['error']}" if row["error"] else "")
        + "".join(f"\n  warning: {w}" for w in row["warnings"])
        for row in rows
    ]
    emit(rows, as_json=as_json, text="\n".join(lines))
    return 1 if any(r.status == "rejected" for r in results) else 0
