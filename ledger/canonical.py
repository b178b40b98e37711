"""Canonical bytes (RFC 8785 JSON Canonicalization Scheme) and keccak-256 digests of JSON values.

Signed and stored forms keep numbers exact: a JSON float anywhere is refused (PACT decimals are strings), and
integers must be JSON-safe (|n| < 2**53), as RFC 8785 requires.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import rfc8785

from ledger import safe_json
from ledger.errors import DeclarationError
from ledger.hashing import keccak256

SAFE_INTEGER = 2**53


def loads_exact(text: str | bytes) -> Any:
    """Parse JSON through `ledger.safe_json`: nesting bounded, duplicate keys refused, non-integers as Decimal."""
    return safe_json.loads(text)


def _check(value: Any, path: str) -> bool:
    """Refuse inexact numbers and non-string keys; return True when every object key is ASCII."""
    if isinstance(value, str) or value is None or isinstance(value, bool):
        return True
    if isinstance(value, dict):
        ascii_keys = True
        for key, item in value.items():
            if not isinstance(key, str):
                raise DeclarationError(f"object key {key!r} at {path or '/'} is not a string")
            ascii_keys = _check(item, f"{path}/{key}") and ascii_keys and key.isascii()
        return ascii_keys
    if isinstance(value, list):
        ascii_items = True
        for index, item in enumerate(value):
            ascii_items = _check(item, f"{path}/{index}") and ascii_items
        return ascii_items
    if isinstance(value, float | Decimal):
        raise DeclarationError(
            f'number {value} at {path or "/"} is not exact in JSON; write it as a decimal string, e.g. "{value}"'
        )
    if isinstance(value, int) and abs(value) >= SAFE_INTEGER:
        raise DeclarationError(f"integer {value} at {path or '/'} exceeds 2**53; write it as a string")
    if not isinstance(value, int):
        raise DeclarationError(f"value {value!r} at {path or '/'} is not JSON")
    return True


def _plain(value: Any) -> bool | None:
    """The fast pre-check of `_check`, without paths: True when `value` is plain JSON (exact built-in types, safe
    integers, string keys) whose object keys are all ASCII, False when plain but some key is not ASCII, None when
    anything else is met (a float, a Decimal, a large integer, a non-string key, a subclass): `_check` then decides,
    with the path in its message. Where this answers, it answers what `_check` returns (a property test)."""
    ascii_keys = True
    stack = [value]
    pop, push = stack.pop, stack.extend
    while stack:
        item = pop()
        kind = type(item)
        if kind is str or item is None or kind is bool:
            continue
        if kind is dict:
            try:
                keys = "".join(item)  # in C: every key a str (a TypeError otherwise)
            except TypeError:
                return None
            if ascii_keys and not keys.isascii():
                ascii_keys = False
            push(item.values())
        elif kind is list:
            push(item)
        elif kind is not int or not -SAFE_INTEGER < item < SAFE_INTEGER:
            return None
    return ascii_keys


# what json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False) builds on every call
_SORTED_COMPACT = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_bytes(value: Any) -> bytes:
    """Return the RFC 8785 canonical UTF-8 bytes of `value`.

    Once floats are refused, RFC 8785 output equals ``json.dumps`` with sorted keys, no whitespace and no ASCII
    escaping, as long as object keys are ASCII (RFC 8785 sorts keys by UTF-16 code units, Python by code point;
    the two orders differ only for non-ASCII keys). That fast path is taken for ASCII keys; everything else goes
    through the rfc8785 library. A property test holds the two paths equal.
    """
    plain = _plain(value)
    if plain is None:
        plain = _check(value, "")
    if plain:
        return _SORTED_COMPACT.encode(value).encode("utf-8")
    return bytes(rfc8785.dumps(value))


_encode_string = json.encoder.encode_basestring  # the C encoder json.dumps(ensure_ascii=False) uses
_LITERALS = {True: "true", False: "false", None: "null"}


def canonical_pair(key: str, value: Any) -> bytes:
    """Canonical bytes of ``[key, value]``; scalars skip the general path (the per-field hot spot of ingest)."""
    if isinstance(value, str):
        return f"[{_encode_string(key)},{_encode_string(value)}]".encode()
    if value is None or isinstance(value, bool):
        return f"[{_encode_string(key)},{_LITERALS[value]}]".encode()
    return canonical_bytes([key, value])


def canonical_pairs(fields: Mapping[str, Any]) -> list[bytes]:
    """Canonical bytes of ``[key, value]`` for every item of `fields`, in order: the values are checked in one pass
    (not once per field), then each pair is encoded directly; anything not plain takes `canonical_pair`'s path."""
    if _plain(list(fields.values())):
        encode = _SORTED_COMPACT.encode
        return [f"[{_encode_string(key)},{encode(value)}]".encode() for key, value in fields.items()]
    return [canonical_pair(key, value) for key, value in fields.items()]


def canonical_bytes_reference(value: Any) -> bytes:
    """RFC 8785 through the rfc8785 library only (the reference the fast path is tested against)."""
    _check(value, "")
    return bytes(rfc8785.dumps(value))


def keccak_canonical(value: Any) -> bytes:
    """keccak-256 of the canonical bytes of `value`."""
    return keccak256(canonical_bytes(value))


def hex32(value: bytes) -> str:
    """0x-prefixed hex of 32 bytes."""
    return "0x" + value.hex()


def unhex32(text: str, *, what: str) -> bytes:
    """Parse a 0x-prefixed 32-byte hex string; DeclarationError naming `what` otherwise."""
    if not isinstance(text, str) or not text.startswith("0x") or len(text) != 66:
        raise DeclarationError(f"{what} must be a 0x-prefixed 32-byte hex string, got {text!r}")
    try:
        return bytes.fromhex(text[2:])
    except ValueError:
        raise DeclarationError(f"{what} {text!r} is not hexadecimal") from None
