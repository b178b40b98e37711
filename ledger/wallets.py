"""Local wallets: Web3 Secret Storage keystores of the keys a supplier signs with.

Keys never leave the machine they are created on; Tanji's server never sees them.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eth_account import Account
from eth_utils import to_checksum_address

from ledger.errors import InvalidWalletError, WalletExistsError, WalletNotFoundError, WrongPasswordError
from ledger.identifiers import describe
from ledger.safe_json import read_json

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


@dataclass(frozen=True)
class WalletInfo:
    """A wallet's name, address and file."""

    name: str
    address: str
    path: Path


def _path(directory: Path, name: str) -> Path:
    if not _NAME.fullmatch(name):  # fullmatch: `$` alone would let a trailing newline through
        bad = next((i for i, c in enumerate(name) if not (c.isascii() and (c.isalnum() or c in "._-"))), None)
        where = f": {describe(name, bad)} is not allowed" if bad is not None else ""
        raise InvalidWalletError(
            f"wallet name {name!r} is invalid{where}; use 1-64 ASCII letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    return directory / f"{name}.json"


def create_wallet(directory: Path, name: str, password: str) -> WalletInfo:
    """Create a new key, store it encrypted under `directory/name.json` (0600), return its info."""
    path = _path(directory, name)
    if path.exists():
        raise WalletExistsError(f"wallet {name!r} already exists at {path}; choose another name")
    if len(password) < 8:
        raise InvalidWalletError("wallet password must have at least 8 characters")
    account = Account.create()
    keystore = Account.encrypt(account.key, password)
    directory.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(keystore, handle)
    return WalletInfo(name=name, address=account.address, path=path)


def list_wallets(directory: Path) -> list[WalletInfo]:
    """Return the wallets stored in `directory`, by name."""
    wallets = []
    for path in sorted(directory.glob("*.json")):
        address = read_json(path).get("address", "")
        wallets.append(
            WalletInfo(name=path.stem, address=to_checksum_address("0x" + address.removeprefix("0x")), path=path)
        )
    return wallets


def load_wallet(directory: Path, name: str, password: str) -> Any:
    """Decrypt wallet `name` and return its LocalAccount."""
    path = _path(directory, name)
    try:
        keystore = read_json(path)
    except FileNotFoundError:
        known = ", ".join(w.name for w in list_wallets(directory)) or "none"
        raise WalletNotFoundError(
            f"no wallet named {name!r} in {directory} (wallets: {known}); create it with `tanji wallet new {name}`"
        ) from None
    try:
        return Account.from_key(Account.decrypt(keystore, password))
    except ValueError:
        raise WrongPasswordError(f"wrong password for wallet {name!r}") from None
