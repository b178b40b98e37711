"""EIP-712 typed data for declarations: build, hash, sign, recover.

The struct is ``SignedDeclaration(bytes32 digest,address declarant,bytes32 productIdHash,uint64 version,
uint64 validFrom,uint64 validUntil,uint256 nonce)`` in the domain ``("Tanji", "1", chainId,
verifyingContract)``; ``TanjiLedger.hashSignedDeclaration`` computes the same digest on chain
(tests/vectors/declaration_eip712.json proves it for Python and Solidity).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ledger.addresses import checksum as to_checksum_address
from ledger.addresses import is_address
from ledger.errors import SigningError
from ledger.hashing import keccak256

DOMAIN_NAME = "Tanji"
DOMAIN_VERSION = "1"
UINT64_MAX = 2**64 - 1

SIGNED_DECLARATION_TYPES: dict[str, list[dict[str, str]]] = {
    "EIP712Domain": [
        {"name": "name", "type": "string"},
        {"name": "version", "type": "string"},
        {"name": "chainId", "type": "uint256"},
        {"name": "verifyingContract", "type": "address"},
    ],
    "SignedDeclaration": [
        {"name": "digest", "type": "bytes32"},
        {"name": "declarant", "type": "address"},
        {"name": "productIdHash", "type": "bytes32"},
        {"name": "version", "type": "uint64"},
        {"name": "validFrom", "type": "uint64"},
        {"name": "validUntil", "type": "uint64"},
        {"name": "nonce", "type": "uint256"},
    ],
}


@dataclass(frozen=True)
class SigningDomain:
    """The EIP-712 domain: binds a signature to one chain and one TanjiLedger contract."""

    chain_id: int
    verifying_contract: str

    def __post_init__(self) -> None:
        if self.chain_id <= 0:
            raise SigningError(f"chain id must be positive, got {self.chain_id}; read it from the chain")
        if not is_address(self.verifying_contract):
            raise SigningError(f"verifying contract {self.verifying_contract!r} is not an address")

    def as_dict(self) -> dict[str, Any]:
        """Return the domain as EIP-712 JSON."""
        return {
            "name": DOMAIN_NAME,
            "version": DOMAIN_VERSION,
            "chainId": self.chain_id,
            "verifyingContract": to_checksum_address(self.verifying_contract),
        }


@dataclass(frozen=True)
class SignedDeclarationMessage:
    """The fields a declarant signs; `digest` is keccak-256 of the canonical declaration."""

    digest: bytes
    declarant: str
    product_id_hash: bytes
    version: int
    valid_from: int
    valid_until: int
    nonce: int

    def __post_init__(self) -> None:
        for name in ("digest", "product_id_hash"):
            value = getattr(self, name)
            if not isinstance(value, bytes) or len(value) != 32:
                raise SigningError(f"{name} must be 32 bytes, got {value!r}")
        if not is_address(self.declarant):
            raise SigningError(f"declarant {self.declarant!r} is not an address")
        for name in ("version", "valid_from", "valid_until"):
            value = getattr(self, name)
            if not 0 <= value <= UINT64_MAX:
                raise SigningError(f"{name}={value} is outside uint64")
        if not 0 <= self.nonce < 2**256:
            raise SigningError(f"nonce={self.nonce} is outside uint256")
        if self.valid_until and self.valid_until <= self.valid_from:
            raise SigningError(
                f"validity window is empty: validUntil={self.valid_until} <= validFrom={self.valid_from}; "
                "use validUntil=0 for open-ended validity"
            )

    def as_dict(self) -> dict[str, Any]:
        """Return the message as EIP-712 JSON (hex strings for bytes32)."""
        return {
            "digest": "0x" + self.digest.hex(),
            "declarant": to_checksum_address(self.declarant),
            "productIdHash": "0x" + self.product_id_hash.hex(),
            "version": self.version,
            "validFrom": self.valid_from,
            "validUntil": self.valid_until,
            "nonce": self.nonce,
        }

    def as_tuple(self) -> tuple[bytes, str, bytes, int, int, int, int]:
        """Return the fields in struct order, as the contract's ABI expects."""
        return (
            self.digest,
            to_checksum_address(self.declarant),
            self.product_id_hash,
            self.version,
            self.valid_from,
            self.valid_until,
            self.nonce,
        )


def typed_data(domain: SigningDomain, message: SignedDeclarationMessage) -> dict[str, Any]:
    """Return the full EIP-712 typed-data document (what a wallet's eth_signTypedData_v4 receives)."""
    return {
        "types": SIGNED_DECLARATION_TYPES,
        "primaryType": "SignedDeclaration",
        "domain": domain.as_dict(),
        "message": message.as_dict(),
    }


DOMAIN_TYPEHASH = keccak256(b"EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)")
SIGNED_DECLARATION_TYPEHASH = keccak256(
    b"SignedDeclaration(bytes32 digest,address declarant,bytes32 productIdHash,uint64 version,uint64 validFrom,"
    b"uint64 validUntil,uint256 nonce)"
)
SECP256K1_HALF_N = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0


def _word(value: int) -> bytes:
    return value.to_bytes(32, "big")


def _address_word(address: str) -> bytes:
    return bytes(12) + bytes.fromhex(address[2:])


@lru_cache(maxsize=64)
def domain_separator(domain: SigningDomain) -> bytes:
    """The EIP-712 domain separator (what the contract's EIP712 computes for itself)."""
    return keccak256(
        DOMAIN_TYPEHASH
        + keccak256(DOMAIN_NAME.encode())
        + keccak256(DOMAIN_VERSION.encode())
        + _word(domain.chain_id)
        + _address_word(domain.verifying_contract)
    )


def signing_hash(domain: SigningDomain, message: SignedDeclarationMessage) -> bytes:
    """Return the 32-byte EIP-712 digest that is signed (hand-encoded; every field is one 32-byte word)."""
    struct_hash = keccak256(
        SIGNED_DECLARATION_TYPEHASH
        + message.digest
        + _address_word(message.declarant)
        + message.product_id_hash
        + _word(message.version)
        + _word(message.valid_from)
        + _word(message.valid_until)
        + _word(message.nonce)
    )
    return keccak256(b"\x19\x01" + domain_separator(domain) + struct_hash)


def signing_hash_reference(domain: SigningDomain, message: SignedDeclarationMessage) -> bytes:
    """The same digest through eth-account's generic EIP-712 encoder (tests hold the two equal)."""
    from eth_account.messages import encode_typed_data

    signable = encode_typed_data(full_message=typed_data(domain, message))
    return keccak256(b"\x19" + signable.version + signable.header + signable.body)


def sign_message(domain: SigningDomain, message: SignedDeclarationMessage, private_key: bytes) -> bytes:
    """Sign with a local key; return the 65-byte (r, s, v) signature (what eth-account's sign_typed_data gives)."""
    return sign_hash(signing_hash(domain, message), private_key)


def sign_hash(digest: bytes, private_key: bytes) -> bytes:
    """Sign a 32-byte digest with libsecp256k1 (RFC 6979 nonce, low s, as eth-account does); 65 bytes (r, s, v).

    Signing needs neither eth-account nor its import of eth-keyfile and py_ecc (over a second at start-up).
    """
    from coincurve import PrivateKey

    if len(digest) != 32:
        raise SigningError(f"a signed digest is 32 bytes, got {len(digest)}")
    signature = PrivateKey(bytes(private_key)).sign_recoverable(digest, hasher=None)
    return signature[:64] + bytes([signature[64] + 27])


def recover_signer(domain: SigningDomain, message: SignedDeclarationMessage, signature: bytes) -> str:
    """Return the checksum address that produced `signature`; raise SigningError if malformed.

    Like OpenZeppelin's ECDSA, a high-s (malleable) signature or a v other than 27/28 is refused.
    """
    return recover_hash_signer(signing_hash(domain, message), signature)


def recover_hash_signer(digest: bytes, signature: bytes) -> str:
    """Recover the signer of a 32-byte digest from a 65-byte (r, s, v) signature with libsecp256k1."""
    from coincurve import PublicKey

    if len(signature) != 65:
        raise SigningError(f"signature must be 65 bytes (r, s, v), got {len(signature)}")
    v = signature[64]
    if v not in (27, 28):
        raise SigningError(f"signature v={v} must be 27 or 28")
    if int.from_bytes(signature[32:64], "big") > SECP256K1_HALF_N:
        raise SigningError("signature has a high s value (malleable form); sign again with a standard wallet")
    try:
        public_key = PublicKey.from_signature_and_message(signature[:64] + bytes([v - 27]), digest, hasher=None)
    except Exception as exc:  # libsecp256k1 reports unrecoverable signatures as generic errors
        raise SigningError(f"signature 0x{signature.hex()} cannot be recovered: {exc}") from exc
    return str(to_checksum_address(keccak256(public_key.format(compressed=False)[1:])[-20:]))


SUPERSESSION_TYPES: dict[str, list[dict[str, str]]] = {
    "EIP712Domain": SIGNED_DECLARATION_TYPES["EIP712Domain"],
    "Supersession": [{"name": "predecessor", "type": "bytes32"}, {"name": "successor", "type": "bytes32"}],
}
SUPERSESSION_TYPEHASH = keccak256(b"Supersession(bytes32 predecessor,bytes32 successor)")


def _supersession_digests(predecessor: bytes, successor: bytes) -> None:
    for name, value in (("predecessor", predecessor), ("successor", successor)):
        if not isinstance(value, bytes) or len(value) != 32:
            raise SigningError(f"{name} digest must be 32 bytes, got {value!r}")
    if predecessor == successor:
        raise SigningError(f"a declaration cannot supersede itself (digest 0x{predecessor.hex()})")


def supersession_typed_data(domain: SigningDomain, predecessor: bytes, successor: bytes) -> dict[str, Any]:
    """The EIP-712 document by which a member consents to supersede `predecessor` by `successor` (digests)."""
    _supersession_digests(predecessor, successor)
    return {
        "types": SUPERSESSION_TYPES,
        "primaryType": "Supersession",
        "domain": domain.as_dict(),
        "message": {"predecessor": "0x" + predecessor.hex(), "successor": "0x" + successor.hex()},
    }


def supersession_hash(domain: SigningDomain, predecessor: bytes, successor: bytes) -> bytes:
    """The 32-byte EIP-712 digest of a supersession consent (TanjiLedger.hashSupersession computes the same)."""
    _supersession_digests(predecessor, successor)
    struct_hash = keccak256(SUPERSESSION_TYPEHASH + predecessor + successor)
    return keccak256(b"\x19\x01" + domain_separator(domain) + struct_hash)


def sign_supersession(domain: SigningDomain, predecessor: bytes, successor: bytes, private_key: bytes) -> bytes:
    """Sign a supersession consent with a local key of the declaring organization; return 65 bytes (r, s, v)."""
    return sign_hash(supersession_hash(domain, predecessor, successor), private_key)
