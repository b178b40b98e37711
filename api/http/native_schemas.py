"""Request and response models of the native API (/v1): organizations, declarations, grants, proofs, roll-ups,
attestations, labels and relayed transactions. Every response is typed, so the OpenAPI document is complete."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict, Field
from pydantic.alias_generators import to_camel

from api.http.schemas import CamelModel, Contracts

ADDRESS = r"^0x[0-9a-fA-F]{40}$"
HEX32 = r"^0x[0-9a-fA-F]{64}$"
HANDLE = r"^[^\s/?#%\\][^/?#%\\]{0,126}[^\s/?#%\\]$|^[^\s/?#%\\]$"
RoleName = Literal["admin", "supplier", "chain-leader", "auditor", "certifier", "regulator", "anchorer"]
Access = Literal["declarant", "granted", "assigned", "disclosed", "public"]


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


# --- proofs and verification ----------------------------------------------------------------------------------------
class BundleChain(CamelModel):
    """The deployment a bundle names (a verifier checks it against the deployment it trusts)."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")

    chain_id: int
    ledger: str = Field(pattern=ADDRESS)
    attestations: str = Field(pattern=ADDRESS)
    labels: str = Field(pattern=ADDRESS)


class BundleAnchor(CamelModel):
    """The anchor a bundle claims."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")

    root: str = Field(pattern=HEX32)
    proof: list[str] = Field(max_length=64)
    leaf: str = Field(pattern=HEX32)
    block: int | None = None
    tx_hash: str | None = None


class ProofBundle(CamelModel):
    """A portable proof bundle (tanji.proof-bundle/1): the full envelope, or a selective disclosure."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")

    type: Literal["tanji.proof-bundle/1"]
    chain: BundleChain
    declaration_id: str | None = None
    digest: str = Field(pattern=HEX32)
    anchor: BundleAnchor
    envelope: dict[str, Any] | None = None
    disclosure: dict[str, Any] | None = None
    eip712: dict[str, Any] | None = None
    signature: str | None = None
    declarant_org: str | None = None


class CheckPublic(CamelModel):
    """One check of a verification (ok null: it could not run)."""

    name: str
    ok: bool | None
    detail: str


class VerificationReportPublic(CamelModel):
    """A verification against this server's trusted deployment."""

    valid: bool
    declaration_id: str | None
    digest: str | None
    first_failure: CheckPublic | None
    checks: list[CheckPublic]
    info: dict[str, Any]


# --- roll-ups, attestations, labels ---------------------------------------------------------------------------------
class GapPublic(CamelModel):
    """An input nothing in the ledger or the factor set covers."""

    consumer: str
    input_product: str
    reason: str


class ScenarioResult(CamelModel):
    """A what-if: the product's footprint before and after scaling an organization's own emissions."""

    scenario: str
    before: float
    after: float
    change: float
    recomputed_products: int


class RollupReport(CamelModel):
    """A product's rolled-up footprint from the anchored declarations (kgCO2e per declared unit)."""

    product_id: str
    components: dict[str, float]
    pcf_excluding_biogenic_uptake: float
    pcf_including_biogenic_uptake: float
    primary_data_share: float
    dqr: dict[str, float]
    secondary_sources: list[dict[str, str]]
    characterization: list[str]
    complete: bool
    gaps: list[GapPublic]
    needs_reevaluation: list[str]
    hotspots: list[dict[str, Any]]
    by_supplier: dict[str, float]
    by_tier: dict[str, float]
    provenance: dict[str, Any]
    residual: float
    totals_rule: str
    contribution_convention: str
    scenarios: list[ScenarioResult] = Field(default_factory=list)


class AttestationList(CamelModel):
    """The attestations of a declaration, oldest first."""

    declaration_id: str
    digest: str
    items: list[AttestationPublic]


class LabelDeclaration(CamelModel):
    """The declaration a label rests on, when this ledger holds it, verified now."""

    id: str
    product_id: str
    valid: bool
    first_failure: str | None


class LabelCheckPublic(CamelModel):
    """The public check of a carbon label by its printed serial: only status Valid may be relied on."""

    serial: str
    status: str
    grade: str | None = None
    issuer_org: str | None = None
    declaration_digest: str | None = None
    valid_from: str | None = None
    valid_until: str | None = None
    declaration: LabelDeclaration | None = None


# --- relayed transactions -------------------------------------------------------------------------------------------
class TransactionParamsPublic(CamelModel):
    """What a member's wallet needs to sign a transaction this server relays."""

    address: str
    chain_id: int
    nonce: int
    gas_limit: int
    gas_price: int | None = None
    max_fee_per_gas: int | None = None
    max_priority_fee_per_gas: int | None = None
    contracts: Contracts
    relayable: dict[str, list[str]] = Field(description="contract -> relayable function signatures")


class RawTransactionIn(StrictModel):
    """A transaction signed by the member's own wallet, as 0x-hex bytes."""

    raw_transaction: str = Field(pattern=r"^0x[0-9a-fA-F]+$", max_length=2 + 2 * 64 * 1024)


class RelayedTransactionPublic(CamelModel):
    """A relayed transaction, mined."""

    tx_hash: str
    block_number: int
    contract: Literal["ledger", "attestations", "labels"]
    function: str
    sender: str
    organization: str
