"""Carbon labels: the certified terms of each label (their hash is on chain) and versioned category benchmarks.

Revision ID: 0010_label_terms
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_label_terms"
down_revision = "0009_audit_assignments"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the label_terms and label_benchmarks tables."""
    op.create_table(
        "label_terms",
        sa.Column("serial", sa.String(128), primary_key=True),
        sa.Column("terms", sa.String(), nullable=False),
        sa.Column("terms_hash", sa.String(66), nullable=False),
        sa.Column("declaration_id", sa.String(64), nullable=False, index=True),
        sa.Column("declaration_digest", sa.String(66), nullable=False, index=True),
        sa.Column("product_id", sa.String(512), nullable=False, index=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "label_benchmarks",
        sa.Column("category", sa.String(64), primary_key=True),
        sa.Column("version", sa.String(64), primary_key=True),
        sa.Column("content_hash", sa.String(66), nullable=False),
        sa.Column("document", sa.String(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    """Drop the tables."""
    for table in ("label_benchmarks", "label_terms"):
        op.drop_table(table)
