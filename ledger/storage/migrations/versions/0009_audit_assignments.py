"""Audits: auditor assignments to declarations and the attestation reports recorded on chain by hash.

Revision ID: 0009_audit_assignments
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_audit_assignments"
down_revision = "0008_footprint_requests"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the audit_assignments and attestation_reports tables."""
    op.create_table(
        "audit_assignments",
        sa.Column("declaration_id", sa.String(64), sa.ForeignKey("declarations.id"), primary_key=True),
        sa.Column("auditor", sa.String(128), primary_key=True),
        sa.Column("assigned_by", sa.String(128), nullable=False),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_audit_assignments_auditor", "audit_assignments", ["auditor"])
    op.create_table(
        "attestation_reports",
        sa.Column("declaration_id", sa.String(64), sa.ForeignKey("declarations.id"), primary_key=True),
        sa.Column("report_hash", sa.String(66), primary_key=True),
        sa.Column("report", sa.Text(), nullable=False),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    """Drop the tables."""
    op.drop_index("ix_audit_assignments_auditor", table_name="audit_assignments")
    for table in ("attestation_reports", "audit_assignments"):
        op.drop_table(table)
