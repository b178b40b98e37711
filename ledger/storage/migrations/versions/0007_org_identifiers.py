"""Native API: organizations' legal identifiers (USCC, LEI) and field-level disclosure grants.

Revision ID: 0007_org_identifiers
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_org_identifiers"
down_revision = "0006_product_owners"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the org_identifiers and disclosure_grants tables."""
    op.create_table(
        "org_identifiers",
        sa.Column("org_handle", sa.String(128), primary_key=True),
        sa.Column("scheme", sa.String(16), primary_key=True),
        sa.Column("value", sa.String(32), nullable=False),
        sa.Column("recorded_by", sa.String(128), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("scheme", "value", name="uq_org_identifiers_scheme_value"),
    )
    op.create_table(
        "disclosure_grants",
        sa.Column("declaration_id", sa.String(64), sa.ForeignKey("declarations.id"), primary_key=True),
        sa.Column("recipient", sa.String(128), primary_key=True),
        sa.Column("fields", sa.String(), nullable=False),
        sa.Column("granted_by", sa.String(128), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    """Drop the tables."""
    for table in ("disclosure_grants", "org_identifiers"):
        op.drop_table(table)
