"""Product ownership and supersession consents waiting to be relayed on chain.

Revision ID: 0006_product_owners
Revises: 0005_pact_requests
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_product_owners"
down_revision = "0005_pact_requests"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the tables."""
    op.create_table(
        "product_owners",
        sa.Column("product_id", sa.String(512), primary_key=True),
        sa.Column("org_handle", sa.String(128), nullable=False, index=True),
        sa.Column("declaration_id", sa.String(64), sa.ForeignKey("declarations.id"), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "supersession_consents",
        sa.Column("successor_id", sa.String(64), sa.ForeignKey("declarations.id"), primary_key=True),
        sa.Column("predecessor_digest", sa.String(66), primary_key=True),
        sa.Column("signature", sa.String(132), nullable=False),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("detail", sa.String()),
        sa.Column("block_number", sa.BigInteger()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    """Drop the tables."""
    for table in ("supersession_consents", "product_owners"):
        op.drop_table(table)
