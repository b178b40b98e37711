"""Request and response models of the native API (/v1): organizations, declarations, grants, proofs, roll-ups,
attestations, labels and relayed transactions. Every response is typed, so the OpenAPI document is complete."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict, Field
from pydantic.alias_generators import to_camel

from api.http.schemas import CamelModel

ADDRESS = r"^0x[0-9a-fA-F]{40}$"
HEX32 = r"^0x[0-9a-fA-F]{64}$"
HANDLE = r"^[^\s/?#%\\][^/?#%\\]{0,126}[^\s/?#%\\]$|^[^\s/?#%\\]$"
RoleName = Literal["admin", "supplier", "chain-leader", "auditor", "certifier", "regulator", "anchorer"]
Access = Literal["declarant", "granted", "requested", "assigned", "disclosed", "public"]


class StrictModel(CamelModel):
    """A request body: camelCase, unknown fields refused."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


class Page(CamelModel):
    """Where a page sits in the whole list."""

    total: int
    offset: int
    limit: int
    next_offset: int | None = Field(description="offset of the next page; null on the last page")


# --- organizations --------------------------------------------------------------------------------------------------
class KeyPublic(CamelModel):
    """A signing key of an organization and its active window (retiredAtBlock 0: active)."""

    address: str
    added_at_block: int
    retired_at_block: int
    active: bool


class LegalIdentifierPublic(CamelModel):
    """A validated legal identifier and its PACT companyIds URN."""

    scheme: Literal["uscc", "lei"]
    value: str
    urn: str


class OrganizationPublic(CamelModel):
    """What anyone may know of a member organization (chain facts and legal identifiers)."""

    handle: str
    org_id: str = Field(description="bytes32 organization id, 0x-hex (keccak-256 of the handle)")
    name: str
    suspended: bool
    registered_at_block: int
    roles: list[str]
    keys: list[KeyPublic]
    identifiers: list[LegalIdentifierPublic]
    company_ids: list[str] = Field(description="the PACT companyIds of the organization (URNs)")


class OrganizationPage(Page):
    """A page of organizations."""

    items: list[OrganizationPublic]


class LegalIdentifiersIn(StrictModel):
    """Legal identifiers to record; each one's check characters are validated."""

    uscc: str | None = Field(default=None, max_length=32, description="统一社会信用代码 (GB 32100-2015), 18 chars")
    lei: str | None = Field(default=None, max_length=32, description="Legal Entity Identifier (ISO 17442), 20 chars")

    def as_dict(self) -> dict[str, str]:
        """Scheme -> value, for the schemes given."""
        return {scheme: value for scheme, value in (("uscc", self.uscc), ("lei", self.lei)) if value is not None}


class OrganizationCreate(StrictModel):
    """Register an organization: its handle, first key, roles and legal identifiers."""

    handle: str = Field(min_length=1, max_length=128, pattern=HANDLE)
    first_key: str = Field(
        pattern=ADDRESS, description="the member's first key (it should add its own and retire this)"
    )
    roles: list[RoleName] = Field(default_factory=list, max_length=7)
    identifiers: LegalIdentifiersIn = Field(default_factory=LegalIdentifiersIn)


class KeyProposal(StrictModel):
    """A key the operator proposes; an active key of the member accepts it (acceptKey, relayed)."""

    address: str = Field(pattern=ADDRESS)


class MinedTransaction(CamelModel):
    """A transaction the server sent with its operator key."""

    tx_hash: str
    block_number: int


# --- declarations ---------------------------------------------------------------------------------------------------
class SubmissionResult(CamelModel):
    """What happened to a submitted signed declaration."""

    status: Literal["pending", "unverified", "anchored"]
    id: str
    digest: str
    duplicate: bool = Field(description="true when this exact envelope was submitted before")
    warnings: list[str]


class AnchorPublic(CamelModel):
    """Where an anchored declaration sits on chain."""

    root: str
    leaf: str
    proof: list[str]
    block: int | None
    tx_hash: str | None


class ChainStatusPublic(CamelModel):
    """The declaration leaf's status on chain now."""

    status: Literal["anchored", "revoked", "superseded"]
    reason: int
    changed_at_block: int
    changed_by: str | None
    successor_digest: str | None


class AttestationPublic(CamelModel):
    """An auditor's attestation as the chain holds it (withdrawnAtBlock 0: standing)."""

    index: int
    auditor_org: str
    auditor: str
    result: str
    assurance: str
    block: int
    report_hash: str
    declarant: str
    withdrawn_at_block: int
    withdraw_reason: int
    withdrawn: bool | None = Field(default=None, description="withdrawn (by its auditor or a regulator)")
    withdraw_reason_name: str | None = Field(default=None, description="the withdrawal reason, by name")
    standing: bool | None = Field(default=None, description="verified or qualified, and not withdrawn")
    report_check: str | None = Field(
        default=None, description="ok, failed: why (the kept report no longer hashes to reportHash), or unknown"
    )
    standard: str | None = Field(default=None, description="from the report, once it checks")
    scope: str | None = None
    findings: list[str] | None = None


class LabelSummary(CamelModel):
    """A carbon label issued on a declaration, with its status now."""

    serial: str = Field(description="bytes32 serial id (keccak-256 of the printed serial)")
    grade: str
    issuer_org: str
    valid_from: int
    valid_until: int
    status: str


class DeclarationPublic(CamelModel):
    """A declaration as the caller may see it: public facts always; payload or disclosed fields by access."""

    id: str
    digest: str
    declarant: str
    organization: str
    status: str = Field(description="in this ledger: pending, unverified or anchored")
    access: Access
    anchor: AnchorPublic | None
    chain_status: ChainStatusPublic | None
    attestations: list[AttestationPublic]
    labels: list[LabelSummary]
    product_id: str | None = Field(description="only for callers who may read the payload")
    payload: dict[str, Any] | None = Field(description="the PACT ProductFootprint, for callers who may read it")
    disclosed: dict[str, Any] | None = Field(description="JSON pointer -> value of the fields disclosed to the caller")


class DeclarationListItem(CamelModel):
    """One declaration the caller may read in full or in part."""

    id: str
    digest: str
    organization: str
    product_id: str | None
    version: int
    status: str
    access: Access


class DeclarationPage(Page):
    """A page of the caller's visible declarations, newest first."""

    items: list[DeclarationListItem]


class VersionRef(CamelModel):
    """Another version of a declaration."""

    id: str
    digest: str
    status: str


class DeclarationVersions(CamelModel):
    """Predecessors (named in precedingPfIds) and successors (signed or recorded on chain) of a declaration."""

    id: str
    digest: str
    predecessors: list[VersionRef]
    successors: list[VersionRef]


# --- grants ---------------------------------------------------------------------------------------------------------
class GrantCreate(StrictModel):
    """Grant an organization read access: in full, or only the listed fields (names or JSON pointers)."""

    recipient: str = Field(min_length=1, max_length=128, pattern=HANDLE)
    fields: list[str] | None = Field(default=None, min_length=1, max_length=64)


class GrantPublic(CamelModel):
    """A grant on a declaration (fields null: full read access)."""

    declaration_id: str
    recipient: str
    granted_by: str
    fields: list[str] | None


class GrantList(CamelModel):
    """Every grant on a declaration."""

    items: list[GrantPublic]
