"""Footprint requests by tier (chain leader -> suppliers), PACT requests mirrored among them.

Revision ID: 0008_footprint_requests
Revises: 0007_org_identifiers
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_footprint_requests"
down_revision = "0007_org_identifiers"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the footprint_requests table."""
    op.create_table(
        "footprint_requests",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("requester", sa.String(128), nullable=False, index=True),
        sa.Column("receiver", sa.String(128), nullable=False, index=True),
        sa.Column("leader", sa.String(128), nullable=False, index=True),
        sa.Column("product_id", sa.String(512), nullable=False, index=True),
        sa.Column("tier", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.String(64), sa.ForeignKey("footprint_requests.id"), index=True),
        sa.Column("deadline", sa.DateTime(timezone=True)),
        sa.Column("note", sa.Text()),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("open_key", sa.String(64), unique=True),
        sa.Column("declaration_id", sa.String(64), sa.ForeignKey("declarations.id")),
        sa.Column("declaration_digest", sa.String(66)),
        sa.Column("reason_code", sa.String(32)),
        sa.Column("reason_message", sa.Text()),
        sa.Column("origin", sa.String(8), nullable=False),
        sa.Column("pact_seq", sa.Integer(), sa.ForeignKey("pact_requests.seq")),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("pact_seq", "product_id", name="uq_footprint_requests_pact_product"),
    )


def downgrade() -> None:
    """Drop the table."""
    op.drop_table("footprint_requests")
