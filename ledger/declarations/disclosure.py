"""Salted per-field commitments: the declaration digest commits to every field separately, so a declarant can
later reveal chosen fields (to a bank, say) that verify against the signed, anchored digest without the rest.

Fields are the top-level properties of the ProductFootprint, each property of ``pcf``, and each extension, as
JSON pointers (``/id``, ``/pcf/pcfExcludingBiogenicUptake``, ``/extensions/0``). For each field::

    commitment = keccak256("tanji.field.v1" || salt32 || JCS([pointer, value]))

and the declaration digest is ``keccak256(JCS({"scheme": "tanji.declaration.v1", "commitments": {pointer:
commitment}}))``. Salts are 32 random bytes per field, kept with the (encrypted) payload: without its salt a
commitment reveals nothing about a guessable value.

The signed ``productIdHash`` is salted the same way (envelope type ``tanji.signed-declaration/2``)::

    productIdHash = keccak256("tanji.productIdHash.v2" || salt of /productIds || UTF-8 of productIds[0])

so a disclosure that hides ``/productIds`` does not let anyone confirm a guessed product id; revealing
``/productIds`` reveals its salt, and the verifier can then check the hash. Version 1 envelopes signed the bare
``keccak256(productIds[0])``; they still verify, and their disclosures say that the product id is exposed.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from ledger.canonical import canonical_pair, canonical_pairs, hex32, keccak_canonical, unhex32
from ledger.errors import DeclarationError
from ledger.hashing import keccak256

SCHEME = "tanji.declaration.v1"
FIELD_TAG = b"tanji.field.v1"
PRODUCT_ID_TAG = b"tanji.productIdHash.v2"
PRODUCT_IDS_POINTER = "/productIds"


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def split_fields(payload: Mapping[str, Any]) -> dict[str, Any]:
    """Partition a ProductFootprint into disclosable fields keyed by JSON pointer."""
    fields: dict[str, Any] = {}
    for key, value in payload.items():
        if key == "pcf" and isinstance(value, dict):
            fields.update({f"/pcf/{_escape(k)}": v for k, v in value.items()})
        elif key == "extensions" and isinstance(value, list):
            fields.update({f"/extensions/{i}": ext for i, ext in enumerate(value)})
        else:
            fields[f"/{_escape(key)}"] = value
    return fields


def new_salts(fields: Mapping[str, Any]) -> dict[str, str]:
    """Fresh random 32-byte salts, one per field."""
    return {path: hex32(os.urandom(32)) for path in fields}


def commitment(path: str, value: Any, salt: bytes) -> bytes:
    """The commitment of one field."""
    return keccak256(FIELD_TAG + salt + canonical_pair(path, value))


def product_id_hash(product_id: str, salt: bytes | None) -> bytes:
    """The signed productIdHash: salted with the /productIds salt (v2), or bare keccak (v1, when `salt` is None)."""
    if salt is None:
        return keccak256(product_id.encode("utf-8"))
    return keccak256(PRODUCT_ID_TAG + salt + product_id.encode("utf-8"))


def commitments_of(fields: Mapping[str, Any], salts: Mapping[str, str]) -> dict[str, str]:
    """Commit every field; every field needs a salt and every salt a field."""
    missing, extra = set(fields) - set(salts), set(salts) - set(fields)
    if missing or extra:
        raise DeclarationError(
            f"salts do not match the payload's fields (missing {sorted(missing)[:5]}, unexpected {sorted(extra)[:5]}); "
            "re-sign the declaration with `tanji declare sign`"
        )
    # commitment() and hex32() written out, the pairs encoded in one pass: this runs for every field of every
    # declaration
    pairs = canonical_pairs(fields)
    return {
        path: "0x" + keccak256(FIELD_TAG + _salt_bytes(salts[path], path) + pair).hex()
        for path, pair in zip(fields, pairs, strict=True)
    }


def _salt_bytes(text: Any, path: str) -> bytes:
    """unhex32 of a salt, with the common well-formed case first."""
    if type(text) is str and len(text) == 66 and text.startswith("0x"):
        try:
            return bytes.fromhex(text[2:])
        except ValueError:
            pass
    return unhex32(text, what=f"salt of {path}")


def digest_of_commitments(commitments: Mapping[str, str]) -> bytes:
    """The declaration digest over all field commitments."""
    return keccak_canonical({"scheme": SCHEME, "commitments": dict(commitments)})


def declaration_digest(payload: Mapping[str, Any], salts: Mapping[str, str]) -> bytes:
    """Digest of a full payload with its salts."""
    return digest_of_commitments(commitments_of(split_fields(payload), salts))


def disclose(payload: Mapping[str, Any], salts: Mapping[str, str], reveal: list[str]) -> dict[str, Any]:
    """Return a disclosure: the chosen fields with their salts, and every other field's commitment only."""
    fields = split_fields(payload)
    unknown = [path for path in reveal if path not in fields]
    if unknown:
        raise DeclarationError(
            f"cannot disclose {unknown}: the declaration has no such field; fields: {sorted(fields)}"
        )
    commitments = commitments_of(fields, salts)
    return {
        "scheme": SCHEME,
        "revealed": {path: {"value": fields[path], "salt": salts[path]} for path in reveal},
        "commitments": {path: c for path, c in commitments.items() if path not in reveal},
    }


def digest_of_disclosure(disclosure: Mapping[str, Any]) -> bytes:
    """Recompute the declaration digest from a disclosure (revealed fields re-committed)."""
    if disclosure.get("scheme") != SCHEME:
        raise DeclarationError(f"unknown disclosure scheme {disclosure.get('scheme')!r}; expected {SCHEME!r}")
    commitments = dict(disclosure.get("commitments", {}))
    for path, item in disclosure.get("revealed", {}).items():
        if path in commitments:
            raise DeclarationError(f"field {path} is both revealed and hidden in the disclosure")
        commitments[path] = hex32(commitment(path, item["value"], unhex32(item["salt"], what=f"salt of {path}")))
    return digest_of_commitments(commitments)
