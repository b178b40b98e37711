"""Regenerate declaration_eip712.json: run `python tests/vectors/generate_declaration_eip712.py` from the root.

Keys and messages are derived from fixed seeds; the expected hash, signature and signer come from eth-account.
The Hardhat tests recompute every hash with ethers and check the first cases against a TanjiLedger deployed
as the first transaction of a fixed deployer key, so its address is known in advance.
"""

from __future__ import annotations

import json
from pathlib import Path

import rlp
from eth_account import Account
from eth_hash.auto import keccak
from eth_utils import to_checksum_address

from ledger.signing import SignedDeclarationMessage, SigningDomain, sign_message, signing_hash, typed_data

VECTOR_DEPLOYER_KEY = keccak(b"tanji-eip712-vector-deployer")


def first_contract_of(key: bytes) -> str:
    """Address of the first contract (nonce 0) deployed by the account of `key`."""
    sender = Account.from_key(key).address
    return to_checksum_address(keccak(rlp.encode([bytes.fromhex(sender[2:]), 0]))[12:])


HARDHAT_FIRST_CONTRACT = first_contract_of(VECTOR_DEPLOYER_KEY)
CASES = [
    ("hardhat-deployed-ledger", 31337, HARDHAT_FIRST_CONTRACT, 1, 0, 0, 0),
    ("second-version-bounded-validity", 31337, HARDHAT_FIRST_CONTRACT, 2, 1767225600, 1798761600, 1),
    ("embedded-chain-id", 131277322940537, "0x" + "ab" * 20, 1, 0, 0, 0),
    ("besu-chain-id-large-nonce", 2026, "0x" + "cd" * 20, 7, 1700000000, 0, 2**64 + 5),
]


def build() -> dict[str, object]:
    """Return the vector document."""
    cases = []
    for index, (name, chain_id, contract, version, valid_from, valid_until, nonce) in enumerate(CASES):
        key = keccak(f"tanji-eip712-vector-key-{index}".encode())
        account = Account.from_key(key)
        domain = SigningDomain(chain_id=chain_id, verifying_contract=contract)
        message = SignedDeclarationMessage(
            digest=keccak(f"tanji-vector-declaration-{index}".encode()),
            declarant=account.address,
            product_id_hash=keccak(f"urn:tanji:product:vector-{index}".encode()),
            version=version,
            valid_from=valid_from,
            valid_until=valid_until,
            nonce=nonce,
        )
        document = typed_data(domain, message)
        document["message"]["nonce"] = str(nonce)  # JSON numbers lose precision beyond 2**53 in JavaScript
        cases.append(
            {
                "name": name,
                "privateKey": "0x" + key.hex(),
                "typedData": document,
                "expectedHash": "0x" + signing_hash(domain, message).hex(),
                "expectedSignature": "0x" + sign_message(domain, message, key).hex(),
                "expectedSigner": account.address,
            }
        )
    return {
        "description": "EIP-712 SignedDeclaration vectors shared by Python and Hardhat tests",
        "ledgerDeployerKey": "0x" + VECTOR_DEPLOYER_KEY.hex(),
        "cases": cases,
    }


if __name__ == "__main__":
    path = Path(__file__).with_name("declaration_eip712.json")
    path.write_text(json.dumps(build(), indent=2) + "\n", encoding="utf-8")
    print(f"wrote {path}")
