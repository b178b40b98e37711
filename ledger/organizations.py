"""Organization identifiers and role ids as the contracts compute them."""

from __future__ import annotations

from eth_hash.auto import keccak

from ledger.codes import Role
from ledger.errors import InvalidOrganizationError
from ledger.identifiers import normalize_identifier


def org_handle(handle: str) -> str:
    """`handle` stripped and NFC-normalized; InvalidOrganizationError when it is empty or unsafe to read.

    Unsafe: control, zero-width or bidirectional characters, or letters that pass for others (see ledger.identifiers).
    """
    cleaned, problem = normalize_identifier(handle.strip())
    if not cleaned:
        raise InvalidOrganizationError("organization handle is empty; use a short stable name such as 'acme-steel'")
    if problem:
        raise InvalidOrganizationError(f"organization handle {cleaned!r} {problem}")
    return cleaned


def org_id(handle: str) -> bytes:
    """Return the bytes32 organization id of `handle` (keccak-256 of the UTF-8 bytes of its `org_handle` form)."""
    return keccak(org_handle(handle).encode("utf-8"))


def role_id(name: str) -> bytes:
    """Return the bytes32 id of role `name` (e.g. ``"supplier"``); UnknownRoleError names the choices."""
    return Role.from_name(name).value


def role_name(identifier: bytes) -> str:
    """Return the CLI name of role id `identifier`, or its hex when unknown."""
    role = Role.from_id(identifier)
    return role.cli_name if role else "0x" + identifier.hex()
