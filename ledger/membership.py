"""Consortium roles and organization identifiers, as the contracts define them."""

from __future__ import annotations

from eth_hash.auto import keccak

from ledger.errors import LedgerError

ROLE_IDS: dict[str, bytes] = {
    "admin": b"\x00" * 32,
    "supplier": keccak(b"SUPPLIER_ROLE"),
    "chain-leader": keccak(b"CHAIN_LEADER_ROLE"),
    "auditor": keccak(b"AUDITOR_ROLE"),
    "certifier": keccak(b"CERTIFIER_ROLE"),
    "regulator": keccak(b"REGULATOR_ROLE"),
    "anchorer": keccak(b"ANCHORER_ROLE"),
}
ROLE_NAMES: dict[bytes, str] = {value: key for key, value in ROLE_IDS.items()}

REASON_CODES: dict[str, int] = {
    "data-error": 1,
    "methodology-change": 2,
    "misstatement": 3,
    "key-compromise": 4,
    "withdrawn": 5,
    "regulatory-order": 6,
}


class UnknownRoleError(LedgerError, KeyError):
    """A role name is not one of the consortium roles."""

    def __str__(self) -> str:
        return str(self.args[0])


def role_id(name: str) -> bytes:
    """Return the bytes32 id of role `name` (e.g. ``"supplier"``)."""
    try:
        return ROLE_IDS[name.lower().replace("_", "-")]
    except KeyError:
        raise UnknownRoleError(f"unknown role {name!r}; use one of: {', '.join(ROLE_IDS)}") from None


def role_name(identifier: bytes) -> str:
    """Return the name of role id `identifier`, or its hex when unknown."""
    return ROLE_NAMES.get(identifier, "0x" + identifier.hex())


def org_id(handle: str) -> bytes:
    """Return the bytes32 organization id of `handle` (keccak-256 of its UTF-8 bytes)."""
    cleaned = handle.strip()
    if not cleaned:
        raise LedgerError("organization handle is empty; use a short stable name such as 'acme-steel'")
    return keccak(cleaned.encode("utf-8"))


def reason_code(name_or_code: str | int) -> int:
    """Return the numeric reason code of a name (``"data-error"``) or number."""
    if isinstance(name_or_code, int) or str(name_or_code).isdigit():
        code = int(name_or_code)
        if code in REASON_CODES.values():
            return code
    elif name_or_code in REASON_CODES:
        return REASON_CODES[name_or_code]
    raise LedgerError(
        f"unknown reason {name_or_code!r}; use one of: "
        + ", ".join(f"{name} ({code})" for name, code in REASON_CODES.items())
    )
