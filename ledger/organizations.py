"""Organization identifiers and role ids as the contracts compute them."""

from __future__ import annotations

from eth_hash.auto import keccak

from ledger.codes import Role
from ledger.errors import InvalidOrganizationError


def org_id(handle: str) -> bytes:
    """Return the bytes32 organization id of `handle` (keccak-256 of its UTF-8 bytes)."""
    cleaned = handle.strip()
    if not cleaned:
        raise InvalidOrganizationError("organization handle is empty; use a short stable name such as 'acme-steel'")
    return keccak(cleaned.encode("utf-8"))


def role_id(name: str) -> bytes:
    """Return the bytes32 id of role `name` (e.g. ``"supplier"``); UnknownRoleError names the choices."""
    return Role.from_name(name).value


def role_name(identifier: bytes) -> str:
    """Return the CLI name of role id `identifier`, or its hex when unknown."""
    role = Role.from_id(identifier)
    return role.cli_name if role else "0x" + identifier.hex()
