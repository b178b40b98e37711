"""Response and request models of the native API's proofs, verification, roll-ups, labels and relayed transactions
(the declarations' and organizations' models are in api.http.native_schemas)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict, Field
from pydantic.alias_generators import to_camel

from api.http.native_schemas import ADDRESS, HEX32, AttestationPublic, StrictModel
from api.http.schemas import CamelModel, Contracts


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
    verified_share: float = Field(description="percent of the gross emissions under a standing positive attestation")
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


class LabelAnchor(CamelModel):
    """The batch anchor of the declaration a label rests on."""

    root: str
    tx_hash: str | None
    block_number: int | None


class LabelStatusPublic(CamelModel):
    """The machine-readable status of a carbon label: only ``valid`` true may be relied on; ``reason`` says why not.
    Kind, value, unit, score, scheme and filing number come from the stored terms, shown only when they hash to the
    terms hash on chain (``termsVerified``)."""

    serial: str
    status: str
    valid: bool
    reason: str | None = None
    kind: str | None = None
    value: str | None = None
    unit: str | None = None
    grade: str | None = None
    score: str | None = None
    scheme: str | None = None
    filing_number: str | None = None
    product_id: str | None = None
    issuer_org: str | None = None
    declaration_digest: str | None = None
    valid_from: str | None = None
    valid_until: str | None = None
    terms_hash: str | None = None
    terms_verified: bool = False
    anchor: LabelAnchor | None = None


class LabelCheckPublic(LabelStatusPublic):
    """The public check of a carbon label by its printed serial, with the certified terms and the declaration it
    rests on verified now when this ledger holds it."""

    terms: dict[str, Any] | None = None
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
