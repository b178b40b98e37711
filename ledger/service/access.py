"""Who may read a declaration's payload: its declaring organization and those it granted access to."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from ledger.errors import AccessDeniedError, NotDeclarantError
from ledger.service.audit_assignments import StoredAssignments
from ledger.service.ingest import decrypt_envelope
from ledger.storage import repository
from ledger.storage.keyring import Keyring
from ledger.storage.tables import AccessGrantRow, DeclarationRow


@dataclass(frozen=True)
class Grant:
    """A read grant: `recipient` may read `declaration_id`; `created` is False when it existed already."""

    declaration_id: str
    recipient: str
    granted_by: str
    created: bool


def require_reader(session: Session, row: DeclarationRow, reader: str) -> None:
    """AccessDeniedError unless `reader` is the declaring organization, was granted access or is an auditor assigned
    to the declaration (the auditor role was checked when it was assigned)."""
    if (
        reader != row.org_handle
        and reader not in repository.grants_of(session=session, declaration_id=row.id)
        and not StoredAssignments().assigned(session, reader, row.id)
    ):
        raise AccessDeniedError(
            f"organization {reader!r} may not read declaration {row.id} of {row.org_handle!r}; "
            f"the declarant can grant access with `tanji declare grant {row.id} --to {reader}`"
        )


def read_payload(session: Session, keyring: Keyring, key: str, reader: str) -> dict[str, Any]:
    """The decrypted payload of declaration `key` (id or digest), for an organization with the right to read it."""
    row = repository.require_declaration(session=session, key=key)
    require_reader(session, row, reader)
    payload: dict[str, Any] = decrypt_envelope(session, keyring, row)["payload"]
    return payload


def grant_access(session: Session, key: str, *, recipient: str, granted_by: str) -> Grant:
    """Let `recipient` read declaration `key`; only the declaring organization `granted_by` may grant."""
    row = repository.require_declaration(session=session, key=key)
    if granted_by != row.org_handle:
        raise NotDeclarantError(f"only the declaring organization {row.org_handle!r} can grant access to {row.id}")
    exists = session.get(AccessGrantRow, (row.id, recipient)) is not None
    if not exists:
        session.add(AccessGrantRow(declaration_id=row.id, recipient=recipient, granted_by=granted_by))
        session.commit()
    return Grant(row.id, recipient, granted_by, created=not exists)
