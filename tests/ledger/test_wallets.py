"""Wallet keystores open without eth-account, to the same key, with the file's own KDF parameters."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from eth_account import Account

from ledger.errors import WrongPasswordError
from ledger.wallets import create_wallet, decrypt_keystore, load_wallet

KEY = bytes.fromhex("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318")


@pytest.mark.parametrize(
    "keystore",
    [
        Account.encrypt(KEY, "correct horse", kdf="scrypt", iterations=2**10),
        Account.encrypt(KEY, "correct horse", kdf="pbkdf2", iterations=1_000),
    ],
    ids=["scrypt", "pbkdf2"],
)
def test_a_v3_keystore_opens_to_the_key_eth_account_finds(keystore: dict[str, object]) -> None:
    assert decrypt_keystore(keystore, "correct horse") == KEY == bytes(Account.decrypt(keystore, "correct horse"))
    with pytest.raises(ValueError, match="MAC mismatch"):
        decrypt_keystore(keystore, "wrong horse")


def test_a_keystore_outside_the_direct_path_goes_through_eth_account(monkeypatch: pytest.MonkeyPatch) -> None:
    keystore = Account.encrypt(KEY, "correct horse", kdf="pbkdf2", iterations=1_000)
    keystore["crypto"] = {**keystore["crypto"], "cipher": "AES-128-CTR"}  # type: ignore[dict-item]
    handed: list[object] = []
    decrypt = Account.decrypt
    monkeypatch.setattr(
        Account, "decrypt", lambda document, password: handed.append(document) or decrypt(document, password)
    )
    assert decrypt_keystore(keystore, "correct horse") == KEY and handed == [keystore]


def test_a_wrong_wallet_password_is_refused_by_name(tmp_path: Path) -> None:
    info = create_wallet(tmp_path, "acme-key", "correct horse")
    wallet = load_wallet(tmp_path, "acme-key", "correct horse")
    assert wallet.address == info.address and "key" not in repr(wallet).replace("WalletKey", "")
    assert wallet.sign_transaction  # anything else of a LocalAccount is there on demand
    with pytest.raises(WrongPasswordError, match="acme-key"):
        load_wallet(tmp_path, "acme-key", "wrong horse")


def test_opening_a_wallet_and_signing_import_neither_eth_account_nor_py_ecc(tmp_path: Path) -> None:
    create_wallet(tmp_path, "k", "correct horse")
    probe = f"""
import sys
from ledger.wallets import load_wallet
from ledger.signing import SignedDeclarationMessage, SigningDomain, recover_signer, sign_message
wallet = load_wallet(__import__("pathlib").Path({str(tmp_path)!r}), "k", "correct horse")
domain = SigningDomain(chain_id=1, verifying_contract="0x" + "12" * 20)
message = SignedDeclarationMessage(b"\\x01" * 32, wallet.address, b"\\x02" * 32, 1, 0, 0, 0)
assert recover_signer(domain, message, sign_message(domain, message, wallet.key)) == wallet.address
print(sorted(m for m in ("eth_account", "eth_keyfile", "py_ecc", "web3") if m in sys.modules))
"""
    answer = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False)
    assert answer.returncode == 0, answer.stderr
    assert json.loads(answer.stdout.replace("'", '"')) == []
