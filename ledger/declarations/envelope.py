"""Signed declaration envelopes: build and sign (declarant side), open and check (ledger side).

An envelope is JSON::

    {"type": "tanji.signed-declaration/1", "payload": ProductFootprint, "salts": {pointer: 0x..},
     "digest": 0x.., "eip712": {"domain": {...}, "message": {...}}, "signature": 0x..}

The signature is EIP-712 over (digest, declarant, productIdHash, version, validFrom, validUntil, nonce); the
digest commits to every field of the payload (ledger.declarations.disclosure).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from ledger.canonical import canonical_bytes, hex32, loads_exact, unhex32
from ledger.declarations.disclosure import declaration_digest, new_salts, split_fields
from ledger.declarations.extension import TanjiExtension
from ledger.declarations.extension_parse import parse_extension
from ledger.errors import (
    DeclarationError,
    DigestMismatchError,
    MessageMismatchError,
    PayloadTooLargeError,
    SignatureMismatchError,
)
from ledger.hashing import keccak256
from ledger.pact.validate import Violation, validate_product_footprint
from ledger.signing import SignedDeclarationMessage, SigningDomain, recover_signer, sign_message

ENVELOPE_TYPE = "tanji.signed-declaration/1"
MAX_ENVELOPE_BYTES = 512 * 1024
DEFAULT_VALIDITY = timedelta(days=3 * 365)  # PACT: valid 3 years after referencePeriodEnd unless stated


@dataclass(frozen=True)
class SignedDeclaration:
    """An opened, checked envelope."""

    payload: dict[str, Any]
    salts: dict[str, str]
    digest: bytes
    domain: SigningDomain
    message: SignedDeclarationMessage
    signature: bytes
    extension: TanjiExtension
    warnings: tuple[Violation, ...]

    @property
    def id(self) -> str:
        """The PACT ProductFootprint id."""
        return str(self.payload["id"])

    @property
    def product_id(self) -> str:
        """The primary product id (first of productIds)."""
        return str(self.payload["productIds"][0])

    @property
    def preceding_ids(self) -> tuple[str, ...]:
        """Ids of the versions this one supersedes."""
        return tuple(self.payload.get("precedingPfIds") or ())


def _epoch(value: str) -> int:
    return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp())


def message_fields(payload: dict[str, Any]) -> tuple[bytes, int, int, int]:
    """(productIdHash, version, validFrom, validUntil) that a signature over `payload` must carry."""
    product_id_hash = keccak256(str(payload["productIds"][0]).encode("utf-8"))
    version = len(payload.get("precedingPfIds") or []) + 1
    pcf = payload["pcf"]
    start = payload.get("validityPeriodStart") or pcf["referencePeriodEnd"]
    if payload.get("validityPeriodEnd"):
        end = _epoch(payload["validityPeriodEnd"])
    else:
        reference_end = datetime.fromisoformat(pcf["referencePeriodEnd"].replace("Z", "+00:00"))
        end = int((reference_end + DEFAULT_VALIDITY).timestamp())
    return bytes(product_id_hash), version, max(_epoch(start), 0), end


def sign_declaration(
    payload: dict[str, Any], *, domain: SigningDomain, private_key: bytes, declarant: str, nonce: int | None = None
) -> dict[str, Any]:
    """Validate `payload`, commit to its fields with fresh salts, sign, and return the envelope."""
    if str(payload.get("specVersion", "")).startswith("2."):
        raise DeclarationError("this is a PACT v2 footprint; convert it first with `tanji declare convert`")
    validate_product_footprint(payload)
    extension = parse_extension(payload)
    if extension.declarant_address.lower() != declarant.lower():
        raise MessageMismatchError(
            f"the payload names declarant {extension.declarant_address} but the wallet is {declarant}; "
            "sign with the declarant's own wallet or fix the Tanji extension's declarant.address"
        )
    salts = new_salts(split_fields(payload))
    digest = declaration_digest(payload, salts)
    product_id_hash, version, valid_from, valid_until = message_fields(payload)
    message = SignedDeclarationMessage(
        digest=digest,
        declarant=declarant,
        product_id_hash=product_id_hash,
        version=version,
        valid_from=valid_from,
        valid_until=valid_until,
        nonce=time.time_ns() // 1000 if nonce is None else nonce,
    )
    return {
        "type": ENVELOPE_TYPE,
        "payload": payload,
        "salts": salts,
        "digest": hex32(digest),
        "eip712": {"domain": domain.as_dict(), "message": {**message.as_dict(), "nonce": str(message.nonce)}},
        "signature": "0x" + sign_message(domain, message, private_key).hex(),
    }


def open_envelope(raw: str | bytes | dict[str, Any], *, max_bytes: int = MAX_ENVELOPE_BYTES) -> SignedDeclaration:
    """Parse and check an envelope: size, schema, extension, digest, message fields, signature."""
    if isinstance(raw, str | bytes):
        size = len(raw.encode() if isinstance(raw, str) else raw)
        if size > max_bytes:
            raise PayloadTooLargeError(
                f"envelope is {size} bytes, over the {max_bytes}-byte limit; "
                "move bulky documents out of the payload and reference them by hash"
            )
        data = loads_exact(raw)
    else:
        data = raw
        if len(canonical_bytes(data)) > max_bytes:
            raise PayloadTooLargeError(f"envelope is over the {max_bytes}-byte limit")
    if not isinstance(data, dict) or data.get("type") != ENVELOPE_TYPE:
        kind = data.get("type") if isinstance(data, dict) else type(data).__name__
        raise DeclarationError(f"not a Tanji signed declaration (type {kind!r}); sign it with `tanji declare sign`")
    payload = data.get("payload")
    warnings = validate_product_footprint(payload)
    assert isinstance(payload, dict)  # validate_product_footprint refuses anything else
    extension = parse_extension(payload)
    salts = data.get("salts")
    if not isinstance(salts, dict):
        raise DeclarationError("envelope has no salts object; re-sign with `tanji declare sign`")
    digest = declaration_digest(payload, salts)
    signed_digest = unhex32(data.get("digest", ""), what="envelope digest")
    domain, message = _eip712(data)
    if digest != signed_digest or message.digest != digest:
        raise DigestMismatchError(
            f"the payload hashes to {hex32(digest)} but the signature covers {hex32(message.digest)}; "
            "the payload or its salts changed after signing"
        )
    _check_message(payload, extension, message)
    signature = bytes.fromhex(str(data.get("signature", "0x"))[2:])
    signer = recover_signer(domain, message, signature)
    if signer != message.declarant:
        raise SignatureMismatchError(f"signature recovers to {signer}, not to the declarant {message.declarant}")
    return SignedDeclaration(payload, dict(salts), digest, domain, message, signature, extension, tuple(warnings))


def _eip712(data: dict[str, Any]) -> tuple[SigningDomain, SignedDeclarationMessage]:
    try:
        domain_json, message_json = data["eip712"]["domain"], data["eip712"]["message"]
        domain = SigningDomain(
            chain_id=int(domain_json["chainId"]), verifying_contract=domain_json["verifyingContract"]
        )
        if domain_json.get("name") != "Tanji" or str(domain_json.get("version")) != "1":
            raise DeclarationError(
                f"EIP-712 domain {domain_json.get('name')!r}/{domain_json.get('version')!r} is not Tanji/1"
            )
        message = SignedDeclarationMessage(
            digest=unhex32(message_json["digest"], what="signed digest"),
            declarant=message_json["declarant"],
            product_id_hash=unhex32(message_json["productIdHash"], what="productIdHash"),
            version=int(message_json["version"]),
            valid_from=int(message_json["validFrom"]),
            valid_until=int(message_json["validUntil"]),
            nonce=int(message_json["nonce"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, DeclarationError):
            raise
        raise DeclarationError(f"envelope eip712 section is incomplete or malformed ({exc!r})") from exc
    return domain, message


def _check_message(payload: dict[str, Any], extension: TanjiExtension, message: SignedDeclarationMessage) -> None:
    product_id_hash, version, valid_from, valid_until = message_fields(payload)
    expected = {
        "productIdHash": product_id_hash,
        "version": version,
        "validFrom": valid_from,
        "validUntil": valid_until,
    }
    got = {
        "productIdHash": message.product_id_hash,
        "version": message.version,
        "validFrom": message.valid_from,
        "validUntil": message.valid_until,
    }
    for key, value in expected.items():
        if got[key] != value:
            raise MessageMismatchError(f"signed {key} {got[key]!r} does not match the payload ({value!r})")
    if extension.declarant_address != message.declarant:
        raise MessageMismatchError(
            f"signed declarant {message.declarant} differs from the payload's declarant {extension.declarant_address}"
        )
