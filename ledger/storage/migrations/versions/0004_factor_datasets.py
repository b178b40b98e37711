"""Factor datasets: stored dataset versions (canonical document, hash, anchor) and their factors.

Revision ID: 0004_factor_datasets
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_factor_datasets"
down_revision = "0003_api_identity"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the tables."""
    op.create_table(
        "factor_datasets",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(128), nullable=False, index=True),
        sa.Column("version", sa.String(128), nullable=False),
        sa.Column("dataset_hash", sa.String(66), nullable=False, unique=True),
        sa.Column("factor_count", sa.Integer(), nullable=False),
        sa.Column("document", sa.String(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("anchor_root", sa.String(66)),
        sa.Column("metadata_uri", sa.String(), nullable=False),
        sa.Column("tx_hash", sa.String(66)),
        sa.Column("block_number", sa.BigInteger()),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("anchored_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("name", "version", name="uq_factor_datasets_name_version"),
    )
    op.create_table(
        "factor_entries",
        sa.Column("dataset_id", sa.Integer(), sa.ForeignKey("factor_datasets.id"), primary_key=True),
        sa.Column("factor_id", sa.String(128), primary_key=True, index=True),
        sa.Column("value", sa.String(64), nullable=False),
        sa.Column("unit", sa.String(16), nullable=False),
        sa.Column("gas_basis", sa.String(8), nullable=False),
        sa.Column("scope", sa.String(16), nullable=False),
        sa.Column("geography", sa.String(32), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    """Drop the tables."""
    op.drop_table("factor_entries")
    op.drop_table("factor_datasets")
