"""Audit assignments: the declaring organization (for a computed footprint, the chain leader that signed it) assigns
an auditor organization to one of its declarations; the assignment gives that auditor full read access
(:class:`StoredAssignments` is the ``AuditAssignments`` hook of ledger.service.visibility).

Rules, each checked before anything is written: only the declarant assigns and unassigns; the assigned
organization holds the auditor role on chain and is not suspended; it is not the declarant itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from ledger.chain_port import ActingChainPort, ChainPort
from ledger.errors import (
    AssignmentNotFoundError,
    NotAMemberError,
    NotAnAuditorError,
    NotAssignedError,
    NotDeclarantError,
    SelfAuditError,
)
from ledger.organizations import org_id
from ledger.storage import repository
from ledger.storage.audit_tables import AuditAssignmentRow
from ledger.storage.tables import DeclarationRow

AUDITOR_ROLE = "auditor"


@dataclass(frozen=True)
class Assignment:
    """One auditor assigned to one declaration."""

    declaration_id: str
    digest: str
    product_id: str
    declarant: str
    auditor: str
    assigned_by: str
    assigned_at: datetime

    @classmethod
    def of(cls, row: AuditAssignmentRow, declaration: DeclarationRow) -> Assignment:
        """From the stored rows."""
        return cls(
            row.declaration_id,
            declaration.digest,
            declaration.product_id,
            declaration.org_handle,
            row.auditor,
            row.assigned_by,
            row.assigned_at,
        )


class StoredAssignments:
    """The audit assignments this ledger stores (the visibility rules' ``AuditAssignments`` hook)."""

    def assigned(self, session: Session, auditor: str, declaration_id: str) -> bool:
        """Is `auditor` assigned to audit `declaration_id`?"""
        return session.get(AuditAssignmentRow, (declaration_id, auditor)) is not None


def require_wallet_of(chain: ChainPort, address: str, org: str) -> str:
    """`org` when `address` is an active key of it (how the CLI proves which organization acts); NotAMemberError
    naming the wallet and the organization otherwise."""
    window = chain.key_window(address)
    if window.org_id != org_id(org) or window.retired_at_block != 0:
        raise NotAMemberError(
            f"wallet {address} is not an active key of organization {org!r}; act with a wallet of {org!r}"
        )
    return org


def _require_declarant(row: DeclarationRow, by: str) -> None:
    if by != row.org_handle:
        raise NotDeclarantError(
            f"organization {by!r} did not declare {row.id} (declared by {row.org_handle!r}); "
            "only the declaring organization assigns and unassigns its auditors"
        )


def assign_auditor(session: Session, chain: ActingChainPort, key: str, auditor: str, *, by: str) -> Assignment:
    """Assign auditor organization `auditor` to declaration `key` (id or digest), acting as organization `by`.

    Assigning the same auditor again changes nothing and returns the existing assignment."""
    row = repository.require_declaration(session=session, key=key)
    _require_declarant(row, by)
    if auditor == row.org_handle:
        raise SelfAuditError(
            f"organization {auditor!r} declared {row.id} and cannot audit it; assign a third-party auditor"
        )
    member = chain.member(auditor)
    if member is None or AUDITOR_ROLE not in member.roles or member.suspended:
        why = (
            "is not a registered organization"
            if member is None
            else "is suspended"
            if member.suspended
            else f"holds {', '.join(member.roles) or 'no role'}, not the auditor role"
        )
        raise NotAnAuditorError(f"organization {auditor!r} {why}; assign an organization holding the auditor role")
    existing = session.get(AuditAssignmentRow, (row.id, auditor))
    if existing is not None:
        return Assignment.of(existing, row)
    stored = AuditAssignmentRow(declaration_id=row.id, auditor=auditor, assigned_by=by)
    session.add(stored)
    try:
        session.commit()
    except IntegrityError:  # assigned concurrently: the other request wrote the same assignment
        session.rollback()
        stored = session.get(AuditAssignmentRow, (row.id, auditor)) or stored
    return Assignment.of(stored, row)


def unassign_auditor(session: Session, key: str, auditor: str, *, by: str) -> None:
    """Withdraw the assignment of `auditor` to declaration `key`, acting as organization `by`."""
    row = repository.require_declaration(session=session, key=key)
    _require_declarant(row, by)
    stored = session.get(AuditAssignmentRow, (row.id, auditor))
    if stored is None:
        raise AssignmentNotFoundError(
            f"organization {auditor!r} is not assigned to audit {row.id}; list its auditors with "
            "`tanji audit assigned --declaration KEY`"
        )
    session.delete(stored)
    session.commit()


def assignments_of_auditor(session: Session, auditor: str) -> list[Assignment]:
    """Every declaration `auditor` is assigned to audit, newest assignment first."""
    query = (
        select(AuditAssignmentRow, DeclarationRow)
        .join(DeclarationRow, col(DeclarationRow.id) == col(AuditAssignmentRow.declaration_id))
        .where(col(AuditAssignmentRow.auditor) == auditor)
        .order_by(col(AuditAssignmentRow.assigned_at).desc(), col(AuditAssignmentRow.declaration_id))
    )
    return [Assignment.of(assignment, declaration) for assignment, declaration in session.exec(query).all()]


def auditors_of(session: Session, key: str, *, by: str) -> list[Assignment]:
    """The auditors assigned to declaration `key`, as its declarant `by` sees them."""
    row = repository.require_declaration(session=session, key=key)
    _require_declarant(row, by)
    query = select(AuditAssignmentRow).where(col(AuditAssignmentRow.declaration_id) == row.id)
    return [Assignment.of(item, row) for item in session.exec(query).all()]


def require_assigned(session: Session, key: str, auditor: str) -> DeclarationRow:
    """Declaration `key` when `auditor` is assigned to it; NotAssignedError otherwise."""
    row = repository.require_declaration(session=session, key=key)
    if not StoredAssignments().assigned(session, auditor, row.id):
        raise NotAssignedError(
            f"organization {auditor!r} is not assigned to audit {row.id}; its declarant {row.org_handle!r} "
            "assigns auditors (`tanji audit assign`)"
        )
    return row
