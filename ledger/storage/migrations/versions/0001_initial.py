"""Initial schema: declarations, outbox, batches, data keys, access grants.

Revision ID: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the tables."""
    op.create_table(
        "batches",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("root", sa.String(66), nullable=False, unique=True),
        sa.Column("leaf_count", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("metadata_uri", sa.String(), nullable=False, server_default=""),
        sa.Column("tx_hash", sa.String(66)),
        sa.Column("block_number", sa.BigInteger()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("anchored_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "declarations",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("digest", sa.String(66), nullable=False, unique=True, index=True),
        sa.Column("leaf", sa.String(66), nullable=False, index=True),
        sa.Column("declarant", sa.String(42), nullable=False, index=True),
        sa.Column("org_handle", sa.String(128), nullable=False, index=True),
        sa.Column("product_id", sa.String(512), nullable=False, index=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("preceding_ids", sa.String(), nullable=False),
        sa.Column("nonce", sa.String(80), nullable=False),
        sa.Column("signature", sa.String(132), nullable=False),
        sa.Column("chain_id", sa.BigInteger(), nullable=False),
        sa.Column("verifying_contract", sa.String(42), nullable=False),
        sa.Column("valid_from", sa.BigInteger(), nullable=False),
        sa.Column("valid_until", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("reason", sa.String()),
        sa.Column("superseded_by", sa.String(64)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("batch_id", sa.Integer(), sa.ForeignKey("batches.id"), index=True),
        sa.Column("proof", sa.String()),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("warnings", sa.String(), nullable=False),
        sa.Column("key_version", sa.Integer(), nullable=False),
        sa.Column("cipher_nonce", sa.LargeBinary(), nullable=False),
        sa.Column("ciphertext", sa.LargeBinary(), nullable=False),
        sa.UniqueConstraint("declarant", "nonce", name="uq_declarations_declarant_nonce"),
    )
    op.create_table(
        "anchor_outbox",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("declaration_id", sa.String(64), sa.ForeignKey("declarations.id"), nullable=False, unique=True),
        sa.Column("enqueued_at", sa.DateTime(timezone=True), nullable=False, index=True),
    )
    op.create_table(
        "data_keys",
        sa.Column("org_handle", sa.String(128), primary_key=True),
        sa.Column("key_version", sa.Integer(), primary_key=True),
        sa.Column("wrapped_key", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "access_grants",
        sa.Column("declaration_id", sa.String(64), sa.ForeignKey("declarations.id"), primary_key=True),
        sa.Column("recipient", sa.String(128), primary_key=True),
        sa.Column("granted_by", sa.String(128), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    """Drop the tables."""
    for table in ("access_grants", "data_keys", "anchor_outbox", "declarations", "batches"):
        op.drop_table(table)
