"""EIP-712 signing agrees with the shared vectors (also checked by the Hardhat tests with ethers)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from eth_account import Account
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.errors import SigningError
from ledger.signing import SignedDeclarationMessage, SigningDomain, recover_signer, sign_message, signing_hash

VECTORS = json.loads((Path(__file__).parents[1] / "vectors" / "declaration_eip712.json").read_text())


def from_vector(vector: dict[str, Any]) -> tuple[SigningDomain, SignedDeclarationMessage]:
    domain, message = vector["typedData"]["domain"], vector["typedData"]["message"]
    return (
        SigningDomain(chain_id=domain["chainId"], verifying_contract=domain["verifyingContract"]),
        SignedDeclarationMessage(
            digest=bytes.fromhex(message["digest"][2:]),
            declarant=message["declarant"],
            product_id_hash=bytes.fromhex(message["productIdHash"][2:]),
            version=message["version"],
            valid_from=message["validFrom"],
            valid_until=message["validUntil"],
            nonce=int(message["nonce"]),
        ),
    )


def test_there_are_no_duplicate_vector_cases() -> None:
    names = [case["name"] for case in VECTORS["cases"]]
    hashes = [case["expectedHash"] for case in VECTORS["cases"]]
    assert len(set(names)) == len(names) and len(set(hashes)) == len(hashes)


@pytest.mark.parametrize("vector", VECTORS["cases"], ids=lambda v: v["name"])
def test_vector_hash_signature_and_signer(vector: dict[str, Any]) -> None:
    domain, message = from_vector(vector)
    assert "0x" + signing_hash(domain, message).hex() == vector["expectedHash"]
    key = bytes.fromhex(vector["privateKey"][2:])
    assert "0x" + sign_message(domain, message, key).hex() == vector["expectedSignature"]
    assert recover_signer(domain, message, bytes.fromhex(vector["expectedSignature"][2:])) == vector["expectedSigner"]


@settings(max_examples=25, deadline=None)
@given(nonce=st.integers(min_value=0, max_value=2**256 - 1), version=st.integers(min_value=0, max_value=2**64 - 1))
def test_sign_then_recover_returns_the_signer(nonce: int, version: int) -> None:
    account = Account.create()
    domain = SigningDomain(chain_id=31337, verifying_contract="0x" + "12" * 20)
    message = SignedDeclarationMessage(b"\x01" * 32, account.address, b"\x02" * 32, version, 0, 0, nonce)
    assert recover_signer(domain, message, sign_message(domain, message, account.key)) == account.address


def test_changing_any_domain_field_changes_the_hash() -> None:
    domain, message = from_vector(VECTORS["cases"][0])
    base = signing_hash(domain, message)
    assert signing_hash(SigningDomain(domain.chain_id + 1, domain.verifying_contract), message) != base
    assert signing_hash(SigningDomain(domain.chain_id, "0x" + "99" * 20), message) != base


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"digest": b"\x01" * 31}, "digest must be 32 bytes"),
        ({"declarant": "0x1234"}, "is not an address"),
        ({"version": -1}, "outside uint64"),
        ({"nonce": 2**256}, "outside uint256"),
        ({"valid_from": 10, "valid_until": 5}, "validity window is empty"),
    ],
)
def test_invalid_messages_are_refused_by_name(kwargs: dict[str, Any], message: str) -> None:
    fields: dict[str, Any] = {
        "digest": b"\x01" * 32,
        "declarant": "0x" + "11" * 20,
        "product_id_hash": b"\x02" * 32,
        "version": 1,
        "valid_from": 0,
        "valid_until": 0,
        "nonce": 0,
    }
    with pytest.raises(SigningError, match=message):
        SignedDeclarationMessage(**{**fields, **kwargs})


def test_malformed_signature_is_refused() -> None:
    domain, message = from_vector(VECTORS["cases"][0])
    with pytest.raises(SigningError, match="65 bytes"):
        recover_signer(domain, message, b"\x00" * 64)


@settings(max_examples=15, deadline=None)
@given(key=st.binary(min_size=32, max_size=32).filter(lambda b: 0 < int.from_bytes(b, "big") < 2**256 - 2**129))
def test_signing_without_eth_account_gives_eth_accounts_signatures(key: bytes) -> None:
    """sign_message and sign_supersession (libsecp256k1) give byte for byte what eth-account's sign_typed_data
    gives, for declarations and supersession consents."""
    from ledger.signing import sign_supersession, supersession_typed_data, typed_data

    domain = SigningDomain(chain_id=31337, verifying_contract="0x" + "12" * 20)
    address = Account.from_key(key).address
    message = SignedDeclarationMessage(b"\x01" * 32, address, b"\x02" * 32, 3, 0, 0, 7)
    reference = Account.sign_typed_data(key, full_message=typed_data(domain, message)).signature
    assert sign_message(domain, message, key) == bytes(reference)
    consent = supersession_typed_data(domain, b"\x03" * 32, b"\x04" * 32)
    assert sign_supersession(domain, b"\x03" * 32, b"\x04" * 32, key) == bytes(
        Account.sign_typed_data(key, full_message=consent).signature
    )
