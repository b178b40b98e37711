"""Tables of audits (migration 0009_audit_assignments): which auditor organization is assigned to which
declaration, and the attestation reports whose hashes auditors recorded on chain."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from ledger.storage.tables import utcnow


class AuditAssignmentRow(SQLModel, table=True):
    """Auditor organization `auditor` is assigned to audit declaration `declaration_id` (full read access)."""

    __tablename__ = "audit_assignments"

    declaration_id: str = Field(foreign_key="declarations.id", primary_key=True, max_length=64)
    auditor: str = Field(primary_key=True, index=True, max_length=128)
    assigned_by: str = Field(max_length=128)
    assigned_at: datetime = Field(default_factory=utcnow)


class AttestationReportRow(SQLModel, table=True):
    """The canonical JSON attestation report of declaration `declaration_id` whose keccak-256 is `report_hash`
    (the reportHash an auditor recorded on chain); verification recomputes the hash from `report`."""

    __tablename__ = "attestation_reports"

    declaration_id: str = Field(foreign_key="declarations.id", primary_key=True, max_length=64)
    report_hash: str = Field(primary_key=True, max_length=66)
    report: str = Field(sa_column=Column(Text, nullable=False))
    stored_at: datetime = Field(default_factory=utcnow)
