"""Who sees what of a declaration, decided in one place for every surface of the native API.

| viewer                                   | access      | sees                                               |
|------------------------------------------|-------------|----------------------------------------------------|
| the declaring organization               | declarant   | everything                                         |
| an organization granted read access      | granted     | everything                                         |
| a requester whose request it fulfilled   | requested   | everything (the fulfilment recorded a read grant)  |
| an auditor assigned to the declaration   | assigned    | everything (assignments: :class:`AuditAssignments`)|
| an organization granted a disclosure     | disclosed   | the granted fields only (with salts: verifiable)   |
| anyone else, signed in or not            | public      | digest, anchor, on-chain status, attestations, labels |

A customer that requested a footprint sees it once the request is fulfilled, which records a read grant
(ledger.service.footprint_requests); withdrawing that grant withdraws the access too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from sqlmodel import Session

from ledger.service.audit_assignments import StoredAssignments
from ledger.storage import directory, repository, request_repository
from ledger.storage.tables import DeclarationRow

DECLARANT, GRANTED, ASSIGNED, DISCLOSED, PUBLIC = "declarant", "granted", "assigned", "disclosed", "public"
REQUESTED = "requested"
FULL_ACCESS = frozenset({DECLARANT, GRANTED, REQUESTED, ASSIGNED})


@dataclass(frozen=True)
class Viewer:
    """Who is looking: an organization with its on-chain roles, or the public (org None)."""

    org: str | None = None
    roles: frozenset[str] = frozenset()


PUBLIC_VIEWER = Viewer()


class AuditAssignments(Protocol):
    """Which declarations an auditor organization is assigned to audit (the hook for audit assignments)."""

    def assigned(self, session: Session, auditor: str, declaration_id: str) -> bool:
        """Is `auditor` assigned to audit `declaration_id`?"""
        ...


class NoAssignments:
    """No auditor is assigned to anything (a surface that must ignore assignments passes this)."""

    def assigned(self, session: Session, auditor: str, declaration_id: str) -> bool:
        """Never."""
        return False


@dataclass(frozen=True)
class Access:
    """The access `viewer` has to one declaration, and the disclosed fields when the access is `disclosed`."""

    level: str
    fields: tuple[str, ...] = ()

    @property
    def full(self) -> bool:
        """May the viewer read the whole payload?"""
        return self.level in FULL_ACCESS


def access_to(
    session: Session, row: DeclarationRow, viewer: Viewer, assignments: AuditAssignments | None = None
) -> Access:
    """The access of `viewer` to declaration `row`; `assignments` None: the assignments this ledger stores
    (ledger.service.audit_assignments)."""
    org = viewer.org
    if org is None:
        return Access(PUBLIC)
    if org == row.org_handle:
        return Access(DECLARANT)
    if org in repository.grants_of(session=session, declaration_id=row.id):
        requested = request_repository.fulfilled_for(session=session, declaration_id=row.id, requester=org)
        return Access(REQUESTED if requested else GRANTED)
    if "auditor" in viewer.roles and (assignments or StoredAssignments()).assigned(session, org, row.id):
        return Access(ASSIGNED)
    fields = directory.disclosure_of(session=session, declaration_id=row.id, recipient=org)
    if fields:
        return Access(DISCLOSED, tuple(fields))
    return Access(PUBLIC)
