"""What an ingest worker hands back: the checked facts of an envelope and the exact bytes to store."""

from __future__ import annotations

import json
import pickle
from typing import Any

from eth_account import Account
from factories import make_payload

from ledger.declarations.envelope import sign_declaration
from ledger.merkle import declaration_leaf
from ledger.service.envelope_check import Opened, open_all, open_for_ingest
from ledger.signing import SigningDomain

DOMAIN = SigningDomain(31337, "0x" + "12" * 20)


def _envelope(account: Any, **changes: Any) -> dict[str, Any]:
    payload = make_payload(account.address, **changes)
    payload["companyName"] = "碳迹 Steel"  # non-ASCII text is stored as UTF-8, not escaped
    return sign_declaration(payload, domain=DOMAIN, private_key=account.key, declarant=account.address, nonce=42)


def test_the_stored_bytes_are_the_compact_envelope_without_its_digest() -> None:
    account = Account.create()
    envelope = _envelope(account)
    opened = open_for_ingest(json.dumps(envelope, indent=2))
    assert isinstance(opened, Opened)
    stored = {key: envelope[key] for key in ("type", "payload", "salts", "signature", "eip712")}
    assert opened.plaintext == json.dumps(stored, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    digest = bytes.fromhex(envelope["digest"][2:])
    assert (opened.id, opened.digest, opened.leaf) == (
        envelope["payload"]["id"],
        envelope["digest"],
        "0x" + declaration_leaf(digest, account.address).hex(),
    )
    assert (opened.declarant, opened.org, opened.nonce, opened.signature) == (
        account.address,
        "acme",
        "42",
        envelope["signature"],
    )
    assert (opened.chain_id, opened.contract, opened.version, opened.preceding_ids) == (
        31337,
        DOMAIN.verifying_contract,
        1,
        (),
    )


def test_a_refused_envelope_comes_back_as_its_error_text() -> None:
    account = Account.create()
    envelope = _envelope(account)
    envelope["payload"]["pcf"]["pcfExcludingBiogenicUptake"] = "9.99"
    (refused,) = open_all([json.dumps(envelope)])
    assert isinstance(refused, str) and refused.startswith("DigestMismatchError: the payload hashes to")


def test_an_opened_envelope_survives_the_trip_between_processes() -> None:
    account = Account.create()
    opened = open_for_ingest(json.dumps(_envelope(account, preceding=["3f9b2c1e-6a4d-4f7e-9c1b-2d8e5a7f0b31"])))
    assert isinstance(opened, Opened) and opened.version == 2
    assert pickle.loads(pickle.dumps(opened)) == opened
