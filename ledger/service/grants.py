"""Access grants made by a declaring organization: read access in full, or a disclosure of chosen fields only
(a bank, say, sees the PCF and its validity, verifiable against the anchored digest, and nothing else)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlmodel import Session

from ledger.declarations.disclosure import split_fields
from ledger.errors import InvalidInputError, NotDeclarantError, NotFoundError
from ledger.organizations import org_id
from ledger.service.access import grant_access
from ledger.service.bundle import field_pointer
from ledger.service.ingest import decrypt_envelope
from ledger.storage import directory, repository
from ledger.storage.keyring import Keyring
from ledger.storage.tables import AccessGrantRow, DeclarationRow, DisclosureGrantRow

MAX_DISCLOSED_FIELDS = 64


@dataclass(frozen=True)
class GrantInfo:
    """A grant on one declaration: to `recipient`, in full (`fields` None) or of the listed field pointers."""

    declaration_id: str
    recipient: str
    granted_by: str
    fields: tuple[str, ...] | None


def _declared_by(session: Session, key: str, org: str) -> DeclarationRow:
    row = repository.require_declaration(session=session, key=key)
    if row.org_handle != org:
        raise NotDeclarantError(f"only the declaring organization {row.org_handle!r} manages access to {row.id}")
    return row


def grant(
    session: Session, keyring: Keyring, key: str, *, recipient: str, by: str, fields: list[str] | None = None
) -> GrantInfo:
    """Grant `recipient` read access to declaration `key` (declarant `by` only); only `fields` when given."""
    org_id(recipient)
    row = _declared_by(session, key, by)
    if recipient == by:
        raise InvalidInputError(f"organization {by!r} declared {row.id} itself; grant access to another organization")
    if fields is None:
        made = grant_access(session, row.id, recipient=recipient, granted_by=by)
        return GrantInfo(made.declaration_id, recipient, by, None)
    if not fields or len(fields) > MAX_DISCLOSED_FIELDS:
        raise InvalidInputError(f"a disclosure names 1 to {MAX_DISCLOSED_FIELDS} fields, got {len(fields)}")
    payload_fields = _payload_fields(session, keyring, row)
    pointers = tuple(sorted({field_pointer(name, payload_fields) for name in fields}))
    existing = session.get(DisclosureGrantRow, (row.id, recipient))
    if existing is None:
        existing = DisclosureGrantRow(declaration_id=row.id, recipient=recipient, granted_by=by)
    existing.fields = json.dumps(list(pointers))
    session.add(existing)
    session.commit()
    return GrantInfo(row.id, recipient, by, pointers)


def _payload_fields(session: Session, keyring: Keyring, row: DeclarationRow) -> dict[str, object]:
    return split_fields(decrypt_envelope(session, keyring, row)["payload"])


def grants_on(session: Session, key: str, *, by: str) -> list[GrantInfo]:
    """Every grant on declaration `key` (declarant `by` only)."""
    row = _declared_by(session, key, by)
    full = [
        GrantInfo(row.id, item.recipient, item.granted_by, None)
        for item in directory.access_grants_of(session=session, declaration_id=row.id)
    ]
    partial = [
        GrantInfo(row.id, item.recipient, item.granted_by, tuple(json.loads(item.fields)))
        for item in directory.disclosure_grants_of(session=session, declaration_id=row.id)
    ]
    return sorted(full + partial, key=lambda item: (item.recipient, item.fields is not None))


def withdraw_grant(session: Session, key: str, *, recipient: str, by: str) -> int:
    """Withdraw every grant of `recipient` on declaration `key` (declarant `by` only); NotFoundError when none."""
    row = _declared_by(session, key, by)
    removed = 0
    for table in (AccessGrantRow, DisclosureGrantRow):
        found = session.get(table, (row.id, recipient))
        if found is not None:
            session.delete(found)
            removed += 1
    if not removed:
        raise NotFoundError(f"organization {recipient!r} holds no grant on declaration {row.id}")
    session.commit()
    return removed
