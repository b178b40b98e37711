"""PACT host system: recipients' endpoints and credentials, footprint requests, fulfilments, outbound events,
Published markers and pagination cursors.

Revision ID: 0005_pact_requests
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_pact_requests"
down_revision = "0004_factor_datasets"
branch_labels = None
depends_on = None


def _created() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column("created_at", sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    """Create the PACT tables."""
    op.create_table(
        "pact_peers",
        sa.Column("org_handle", sa.String(128), primary_key=True),
        sa.Column("base_url", sa.String(512), nullable=False),
        sa.Column("client_id", sa.String(256), nullable=False),
        sa.Column("key_version", sa.Integer(), nullable=False),
        sa.Column("secret_nonce", sa.LargeBinary(), nullable=False),
        sa.Column("secret_ciphertext", sa.LargeBinary(), nullable=False),
        _created(),
    )
    op.create_table(
        "pact_requests",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(256), nullable=False),
        sa.Column("source", sa.String(512), nullable=False),
        sa.Column("requester", sa.String(128), nullable=False, index=True),
        sa.Column("spec", sa.Integer(), nullable=False),
        sa.Column("criteria", sa.Text(), nullable=False),
        sa.Column("comment", sa.Text()),
        sa.Column("owners", sa.String(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("answer_code", sa.String(32)),
        sa.Column("answer_message", sa.Text()),
        sa.Column("footprint_ids", sa.String(), nullable=False),
        _created(),
        sa.Column("answered_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("requester", "source", "event_id", name="uq_pact_requests_event"),
    )
    op.create_table(
        "pact_fulfilments",
        sa.Column("declaration_id", sa.String(64), sa.ForeignKey("declarations.id"), primary_key=True),
        sa.Column("recipient", sa.String(128), primary_key=True),
        sa.Column("request_seq", sa.Integer(), sa.ForeignKey("pact_requests.seq"), nullable=False),
        _created(),
    )
    op.create_table(
        "pact_outbound",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("recipient", sa.String(128), nullable=False, index=True),
        sa.Column("url", sa.String(600), nullable=False),
        sa.Column("token_url", sa.String(600), nullable=False),
        sa.Column("event", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.BigInteger(), nullable=False, index=True),
        sa.Column("last_error", sa.Text()),
        _created(),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "pact_published",
        sa.Column("declaration_id", sa.String(64), sa.ForeignKey("declarations.id"), primary_key=True),
        sa.Column("recipient", sa.String(128), primary_key=True),
        sa.Column("outbound_seq", sa.Integer()),
    )
    op.create_table(
        "pact_cursors",
        sa.Column("cursor", sa.String(64), primary_key=True),
        sa.Column("org_handle", sa.String(128), nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("snapshot", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.BigInteger(), nullable=False, index=True),
    )


def downgrade() -> None:
    """Drop the PACT tables."""
    for table in ("pact_cursors", "pact_published", "pact_outbound", "pact_fulfilments", "pact_requests", "pact_peers"):
        op.drop_table(table)
