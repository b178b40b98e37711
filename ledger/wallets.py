"""Local wallets: Web3 Secret Storage keystores of the keys a supplier signs with.

Keys never leave the machine they are created on; Tanji's server never sees them.

Opening a version 3 keystore (what `tanji wallet new` writes) needs only hashlib's scrypt or PBKDF2 with the
file's own parameters, keccak and AES-128-CTR, so it is done here without importing eth-account, whose import
(eth-keyfile, py_ecc) costs more than a second; anything else goes through eth-account as before.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
    from eth_account import Account

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
        key = decrypt_keystore(keystore, password)
    except ValueError:
        raise WrongPasswordError(f"wrong password for wallet {name!r}") from None
    return WalletKey(key)


@dataclass(frozen=True)
class WalletKey:
    """A decrypted wallet key: its address and raw key at once, everything else of eth-account's LocalAccount
    (signing transactions, messages) from a LocalAccount built on first use."""

    key: bytes
    address: str = field(init=False)

    def __post_init__(self) -> None:
        from coincurve import PrivateKey

        from ledger.hashing import keccak256

        public = PrivateKey(self.key).public_key.format(compressed=False)[1:]
        object.__setattr__(self, "address", to_checksum_address(keccak256(public)[-20:]))

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # copy, pickle and friends probe for dunders: not a LocalAccount's business
            raise AttributeError(name)
        from eth_account import Account

        return getattr(Account.from_key(self.key), name)

    def __repr__(self) -> str:
        return f"WalletKey(address={self.address})"  # never the key


def decrypt_keystore(keystore: Any, password: str) -> bytes:
    """The private key of a Web3 Secret Storage keystore; ValueError on a wrong password (MAC mismatch).

    Version 3 with scrypt or PBKDF2-HMAC-SHA256 and AES-128-CTR is read directly, with the file's own KDF
    parameters; any other form is handed to eth-account.
    """
    crypto = (keystore.get("crypto") or keystore.get("Crypto")) if isinstance(keystore, dict) else None
    if not isinstance(crypto, dict) or keystore.get("version") != 3 or crypto.get("cipher") != "aes-128-ctr":
        from eth_account import Account

        return bytes(Account.decrypt(keystore, password))
    params = crypto["kdfparams"]
    secret = password.encode("utf-8")
    if crypto["kdf"] == "scrypt":
        derived = scrypt_key(
            secret, bytes.fromhex(params["salt"]), params["n"], params["r"], params["p"], params["dklen"]
        )
    elif crypto["kdf"] == "pbkdf2" and params.get("prf") == "hmac-sha256":
        derived = hashlib.pbkdf2_hmac("sha256", secret, bytes.fromhex(params["salt"]), params["c"], params["dklen"])
    else:
        from eth_account import Account

        return bytes(Account.decrypt(keystore, password))
    from Crypto.Cipher import AES

    from ledger.hashing import keccak256

    ciphertext = bytes.fromhex(crypto["ciphertext"].removeprefix("0x"))
    if not hmac.compare_digest(keccak256(derived[16:32] + ciphertext), bytes.fromhex(crypto["mac"].removeprefix("0x"))):
        raise ValueError("MAC mismatch")
    iv = bytes.fromhex(crypto["cipherparams"]["iv"].removeprefix("0x"))
    return bytes(AES.new(derived[:16], AES.MODE_CTR, initial_value=iv, nonce=b"").decrypt(ciphertext))


def scrypt_key(password: bytes, salt: bytes, n: int, r: int, p: int, dklen: int) -> bytes:
    """scrypt (OpenSSL's, through hashlib) with the memory its parameters need."""
    return hashlib.scrypt(password, salt=salt, n=n, r=r, p=p, dklen=dklen, maxmem=128 * r * (n + p + 2) + 2**20)
