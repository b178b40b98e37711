"""SQLModel table models (schema changes go through Alembic migrations in ``migrations/``)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import BigInteger, Column, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    """Timezone-aware now in UTC (SQLModel stores aware datetimes and returns them in UTC)."""
    return datetime.now(UTC)


class DeclarationRow(SQLModel, table=True):
    """One signed declaration: metadata in clear, payload and salts encrypted (AES-GCM)."""

    __tablename__ = "declarations"
    __table_args__ = (UniqueConstraint("declarant", "nonce", name="uq_declarations_declarant_nonce"),)

    id: str = Field(primary_key=True, max_length=64)
    digest: str = Field(unique=True, index=True, max_length=66)
    leaf: str = Field(index=True, max_length=66)
    declarant: str = Field(index=True, max_length=42)
    org_handle: str = Field(index=True, max_length=128)
    product_id: str = Field(index=True, max_length=512)
    version: int
    preceding_ids: str = "[]"
    nonce: str = Field(max_length=80)
    signature: str = Field(max_length=132)
    chain_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    verifying_contract: str = Field(max_length=42)
    valid_from: int = Field(sa_column=Column(BigInteger, nullable=False))
    valid_until: int = Field(sa_column=Column(BigInteger, nullable=False))
    status: str = Field(index=True, max_length=16)
    reason: str | None = None
    superseded_by: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    batch_id: int | None = Field(default=None, foreign_key="batches.id", index=True)
    proof: str | None = None
    size: int
    warnings: str = "[]"
    key_version: int
    cipher_nonce: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    ciphertext: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class OutboxRow(SQLModel, table=True):
    """A declaration waiting to be put into a batch (written in the same transaction as the declaration)."""

    __tablename__ = "anchor_outbox"

    seq: int | None = Field(default=None, primary_key=True)
    declaration_id: str = Field(foreign_key="declarations.id", unique=True, max_length=64)
    enqueued_at: datetime = Field(default_factory=utcnow, index=True)


class BatchRow(SQLModel, table=True):
    """A Merkle batch: prepared (leaves and proofs fixed) before it is sent, anchored once seen on chain."""

    __tablename__ = "batches"

    id: int | None = Field(default=None, primary_key=True)
    root: str = Field(unique=True, max_length=66)
    leaf_count: int
    status: str = Field(index=True, max_length=16)
    metadata_uri: str = ""
    tx_hash: str | None = Field(default=None, max_length=66)
    block_number: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    created_at: datetime = Field(default_factory=utcnow)
    anchored_at: datetime | None = None


class DataKeyRow(SQLModel, table=True):
    """An organization's data key, wrapped by the master key."""

    __tablename__ = "data_keys"

    org_handle: str = Field(primary_key=True, max_length=128)
    key_version: int = Field(primary_key=True)
    wrapped_key: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class AccessGrantRow(SQLModel, table=True):
    """Organization `recipient` may read declaration `declaration_id`."""

    __tablename__ = "access_grants"

    declaration_id: str = Field(foreign_key="declarations.id", primary_key=True, max_length=64)
    recipient: str = Field(primary_key=True, max_length=128)
    granted_by: str = Field(max_length=128)
    granted_at: datetime = Field(default_factory=utcnow)


class ApiClientRow(SQLModel, table=True):
    """An OAuth2 client of the HTTP API, acting for one organization; only a salted hash of its secret is kept."""

    __tablename__ = "api_clients"

    client_id: str = Field(primary_key=True, max_length=64)
    org_handle: str = Field(index=True, max_length=128)
    secret_hash: str = Field(max_length=256)
    created_at: datetime = Field(default_factory=utcnow)
    rotated_at: datetime | None = None
    revoked_at: datetime | None = None


class ApiTokenRow(SQLModel, table=True):
    """A bearer token (stored as its SHA-256): who it speaks for, how it was obtained and until when (Unix time)."""

    __tablename__ = "api_tokens"

    token_hash: str = Field(primary_key=True, max_length=64)
    org_handle: str = Field(index=True, max_length=128)
    method: str = Field(max_length=32)
    subject: str = Field(index=True, max_length=64)
    issued_at: datetime = Field(default_factory=utcnow)
    expires_at: int = Field(sa_column=Column(BigInteger, nullable=False, index=True))
    revoked_at: datetime | None = None


class SiweNonceRow(SQLModel, table=True):
    """A single-use Sign-In with Ethereum nonce, valid until `expires_at` (Unix time)."""

    __tablename__ = "siwe_nonces"

    nonce: str = Field(primary_key=True, max_length=64)
    issued_at: datetime = Field(default_factory=utcnow)
    expires_at: int = Field(sa_column=Column(BigInteger, nullable=False, index=True))
    used_at: datetime | None = None


class FactorDatasetRow(SQLModel, table=True):
    """A factor dataset version (ledger.factors): its canonical document, hash and, once anchored, where on chain."""

    __tablename__ = "factor_datasets"
    __table_args__ = (UniqueConstraint("name", "version", name="uq_factor_datasets_name_version"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, max_length=128)
    version: str = Field(max_length=128)
    dataset_hash: str = Field(unique=True, max_length=66)
    factor_count: int
    document: str  # RFC 8785 canonical JSON of the normalized dataset (ledger.factors.model.FactorDataset.document)
    status: str = Field(index=True, max_length=16)  # imported | prepared (root fixed, not yet seen on chain) | anchored
    anchor_root: str | None = Field(default=None, max_length=66)
    metadata_uri: str = ""
    tx_hash: str | None = Field(default=None, max_length=66)
    block_number: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    imported_at: datetime = Field(default_factory=utcnow)
    anchored_at: datetime | None = None


class FactorEntryRow(SQLModel, table=True):
    """One factor of a stored dataset version, with the columns a lookup filters on."""

    __tablename__ = "factor_entries"

    dataset_id: int = Field(foreign_key="factor_datasets.id", primary_key=True)
    factor_id: str = Field(primary_key=True, index=True, max_length=128)
    value: str = Field(max_length=64)
    unit: str = Field(max_length=16)
    gas_basis: str = Field(max_length=8)
    scope: str = Field(max_length=16)
    geography: str = Field(max_length=32)
    year: int


class ProductOwnerRow(SQLModel, table=True):
    """The organization a product id belongs to: the first whose declaration of it was fixed into a batch.

    Ids under ``urn:tanji:<org>:`` belong to ``<org>`` by their name and are recorded here too when first anchored.
    """

    __tablename__ = "product_owners"

    product_id: str = Field(primary_key=True, max_length=512)
    org_handle: str = Field(index=True, max_length=128)
    declaration_id: str = Field(foreign_key="declarations.id", max_length=64)
    claimed_at: datetime = Field(default_factory=utcnow)


class SupersessionConsentRow(SQLModel, table=True):
    """A declarant's signed consent that its new declaration supersedes `predecessor_digest`, waiting to be relayed
    on chain (``supersedeWithConsent``) once both are anchored: status pending, relayed or refused."""

    __tablename__ = "supersession_consents"

    successor_id: str = Field(foreign_key="declarations.id", primary_key=True, max_length=64)
    predecessor_digest: str = Field(primary_key=True, max_length=66)
    signature: str = Field(max_length=132)
    status: str = Field(default="pending", index=True, max_length=16)
    detail: str | None = None
    block_number: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    created_at: datetime = Field(default_factory=utcnow)


class OrgIdentifierRow(SQLModel, table=True):
    """A legal identifier of an organization (check characters validated), unique per scheme across members."""

    __tablename__ = "org_identifiers"
    __table_args__ = (UniqueConstraint("scheme", "value", name="uq_org_identifiers_scheme_value"),)

    org_handle: str = Field(primary_key=True, max_length=128)
    scheme: str = Field(primary_key=True, max_length=16)
    value: str = Field(max_length=32)
    recorded_by: str = Field(max_length=128)
    recorded_at: datetime = Field(default_factory=utcnow)


class DisclosureGrantRow(SQLModel, table=True):
    """Organization `recipient` may see only `fields` (JSON list of field pointers) of declaration `declaration_id`."""

    __tablename__ = "disclosure_grants"

    declaration_id: str = Field(foreign_key="declarations.id", primary_key=True, max_length=64)
    recipient: str = Field(primary_key=True, max_length=128)
    fields: str = "[]"
    granted_by: str = Field(max_length=128)
    granted_at: datetime = Field(default_factory=utcnow)


class LabelTermsRow(SQLModel, table=True):
    """The terms of a carbon label as certified (RFC 8785 canonical JSON); the chain holds their keccak-256."""

    __tablename__ = "label_terms"

    serial: str = Field(primary_key=True, max_length=128)
    terms: str  # canonical JSON (ledger.labels.terms.LabelTerms.canonical)
    terms_hash: str = Field(max_length=66)
    declaration_id: str = Field(index=True, max_length=64)
    declaration_digest: str = Field(index=True, max_length=66)
    product_id: str = Field(index=True, max_length=512)
    created_at: datetime = Field(default_factory=utcnow)


class LabelBenchmarkRow(SQLModel, table=True):
    """One version of a category benchmark (thresholds -> grade/score) with its cited source."""

    __tablename__ = "label_benchmarks"

    category: str = Field(primary_key=True, max_length=64)
    version: str = Field(primary_key=True, max_length=64)
    content_hash: str = Field(max_length=66)
    document: str  # canonical JSON (ledger.labels.benchmarks.Benchmark.document)
    imported_at: datetime = Field(default_factory=utcnow)
