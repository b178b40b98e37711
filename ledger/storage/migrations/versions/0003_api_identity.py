"""HTTP API identity: OAuth2 clients (hashed secrets), bearer tokens (hashed, with expiry), SIWE nonces.

Revision ID: 0003_api_identity
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_api_identity"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the identity tables."""
    op.create_table(
        "api_clients",
        sa.Column("client_id", sa.String(64), primary_key=True),
        sa.Column("org_handle", sa.String(128), nullable=False, index=True),
        sa.Column("secret_hash", sa.String(256), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rotated_at", sa.DateTime(timezone=True)),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "api_tokens",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("org_handle", sa.String(128), nullable=False, index=True),
        sa.Column("method", sa.String(32), nullable=False),
        sa.Column("subject", sa.String(64), nullable=False, index=True),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.BigInteger(), nullable=False, index=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "siwe_nonces",
        sa.Column("nonce", sa.String(64), primary_key=True),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.BigInteger(), nullable=False, index=True),
        sa.Column("used_at", sa.DateTime(timezone=True)),
    )


def downgrade() -> None:
    """Drop the identity tables."""
    for table in ("siwe_nonces", "api_tokens", "api_clients"):
        op.drop_table(table)
