"""What the ledger services need from the chain, as Protocols (chain_tools.chain_adapter implements them over web3;
chain_tools.rpc_reader implements ChainPort's views over plain JSON-RPC for verifiers).

`ChainPort` holds the views verification needs (a bulk-verification snapshot implements it too); `ActingChainPort`
adds the transactions members send with their own wallets (revoke, supersede, attest, labels), the operator's
membership administration and the deployment's identity. Adapters translate chain failures into ledger errors: a
refusal becomes the ChainRejectedError subclass of its kind (with the contract's error name and arguments), an
unreachable node ChainUnavailableError.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from ledger.codes import DeclarationStatus, LabelStatus, Reason
from ledger.signing import SigningDomain


@dataclass(frozen=True)
class KeyWindow:
    """The organization of a key and the blocks it was active in (retired 0: still active)."""

    org_id: bytes
    added_at_block: int
    retired_at_block: int

    def active_at(self, block: int) -> bool:
        """Was the key active at `block`?"""
        if self.org_id == bytes(32) or block < self.added_at_block:
            return False
        return self.retired_at_block == 0 or block < self.retired_at_block


@dataclass(frozen=True)
class LeafState:
    """On-chain status change of a leaf (status UNKNOWN: none recorded)."""

    status: DeclarationStatus
    reason: int
    changed_at_block: int
    changed_by: str
    successor: bytes


class MembershipPort(Protocol):
    """Membership views."""

    def require_active(self, account: str, role: str) -> bytes:
        """Organization id of an active key holding `role`; ChainRejectedError names why not."""
        ...

    def key_window(self, account: str) -> KeyWindow:
        """Organization and active window of a key."""
        ...

    def was_key_usable_at(self, account: str, block: int) -> bool:
        """Was `account` an active key of an unsuspended organization at `block` (a declaration's anchoring)?"""
        ...


class AnchorPort(Protocol):
    """Anchoring and status views."""

    @property
    def signing_domain(self) -> SigningDomain:
        """EIP-712 domain of this deployment."""
        ...

    def anchored_block(self, root: bytes) -> int | None:
        """Block at which `root` was anchored, or None."""
        ...

    def anchor_batch(self, root: bytes, leaf_count: int, metadata_uri: str) -> tuple[str, int]:
        """Anchor `root`; return (transaction hash, block)."""
        ...

    def leaf_states(self, leaves: list[bytes]) -> list[LeafState]:
        """Recorded status changes of `leaves`."""
        ...

    def supersede_with_consent(self, predecessor: AnchoredLeaf, successor: AnchoredLeaf, signature: bytes) -> TxResult:
        """Relay a declarant's signed consent that `successor` supersedes `predecessor` (sent by the anchorer)."""
        ...

    def attestations(self, digest: bytes) -> list[dict[str, object]]:
        """Auditor attestations of `digest`."""
        ...

    def labels(self, digest: bytes) -> list[dict[str, object]]:
        """Carbon labels issued on `digest`, with status."""
        ...


class ChainPort(MembershipPort, AnchorPort, Protocol):
    """Everything the ledger services use."""


class Sender(Protocol):
    """A wallet that signs its own transactions (eth-account's LocalAccount satisfies it)."""

    @property
    def address(self) -> str:
        """The sending address."""
        ...

    def sign_transaction(self, transaction_dict: dict[str, Any]) -> Any:
        """Sign a transaction locally."""
        ...


@dataclass(frozen=True)
class TxResult:
    """A mined transaction."""

    tx_hash: str
    block_number: int


@dataclass(frozen=True)
class AnchoredLeaf:
    """Where one anchored declaration sits on chain: batch root, digest, declarant and Merkle proof."""

    root: bytes
    digest: bytes
    declarant: str
    proof: tuple[bytes, ...]


@dataclass(frozen=True)
class AttestationReceipt:
    """A recorded attestation: the transaction and the attestation's index among the digest's attestations."""

    tx_hash: str
    block_number: int
    index: int


TRUST_ANCHORS_TYPE = "tanji.trust-anchors/1"


@dataclass(frozen=True)
class TrustAnchors:
    """The deployment a verifier trusts: chain id and the consortium's contract addresses."""

    chain_id: int
    ledger: str
    attestations: str
    labels: str

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, in the proof bundle's vocabulary."""
        return {
            "chainId": self.chain_id,
            "ledger": self.ledger,
            "attestations": self.attestations,
            "labels": self.labels,
        }

    @classmethod
    def from_dict(cls, data: Any, *, source: str = "trust anchors") -> TrustAnchors:
        """Parse the published form (``tanji trust export``); InvalidTrustAnchorsError names what is wrong."""
        from ledger.addresses import is_address
        from ledger.errors import InvalidTrustAnchorsError

        if not isinstance(data, dict) or data.get("type", TRUST_ANCHORS_TYPE) != TRUST_ANCHORS_TYPE:
            raise InvalidTrustAnchorsError(
                f"{source} is not a Tanji trust anchors document ({TRUST_ANCHORS_TYPE}); ask the consortium "
                "operator for the file `tanji trust export` writes"
            )
        chain_id = data.get("chainId")
        if not isinstance(chain_id, int) or isinstance(chain_id, bool) or chain_id <= 0:
            raise InvalidTrustAnchorsError(f"{source}: chainId must be a positive integer, got {chain_id!r}")
        addresses = []
        for name in ("ledger", "attestations", "labels"):
            value = data.get(name)
            if not isinstance(value, str) or not is_address(value):
                raise InvalidTrustAnchorsError(f"{source}: {name} must be a contract address, got {value!r}")
            addresses.append(value)
        return cls(chain_id, *addresses)

    def published(self) -> dict[str, Any]:
        """The document a consortium operator publishes for verifiers (``tanji trust export``)."""
        return {"type": TRUST_ANCHORS_TYPE, **self.as_dict()}


@dataclass(frozen=True)
class LabelRecord:
    """A carbon label as the chain holds it, with its status now."""

    declaration_digest: bytes
    product_id_hash: bytes
    issuer_org: bytes
    grade: str
    valid_from: int
    valid_until: int
    status: LabelStatus
    terms_hash: bytes  # keccak-256 of the label's canonical terms JSON


@dataclass(frozen=True)
class MemberKey:
    """One signing key of a member and its active window (retired 0: active)."""

    address: str
    added_at_block: int
    retired_at_block: int


@dataclass(frozen=True)
class MemberRecord:
    """An organization as the chain holds it."""

    name: str
    org_id: bytes
    suspended: bool
    registered_at_block: int
    roles: tuple[str, ...]
    keys: tuple[MemberKey, ...]


@dataclass(frozen=True)
class TransactionParams:
    """What a member's wallet needs to sign a transaction the server will relay."""

    chain_id: int
    nonce: int
    fees: dict[str, int]  # gasPrice, or maxFeePerGas and maxPriorityFeePerGas (EIP-1559)
    gas_limit: int


@dataclass(frozen=True)
class ChainStatus:
    """Where the chain is."""

    chain_id: int
    block: int
    anchors: TrustAnchors
    operator: str
    operator_balance_wei: int


class ActingChainPort(ChainPort, Protocol):
    """Transactions signed by members' own wallets, membership administration and the deployment's identity."""

    @property
    def trust_anchors(self) -> TrustAnchors:
        """This deployment's chain id and contract addresses."""
        ...

    def revoke_declaration(
        self, root: bytes, digest: bytes, declarant: str, proof: list[bytes], reason: Reason, sender: Sender
    ) -> TxResult:
        """Revoke one anchored declaration (sent by the declarant's organization or a regulator)."""
        ...

    def supersede_declaration(
        self, root: bytes, digest: bytes, declarant: str, proof: list[bytes], successor: bytes, sender: Sender
    ) -> TxResult:
        """Mark one anchored declaration superseded by `successor` (its digest)."""
        ...

    def attest(
        self, leaf: AnchoredLeaf, result: int, assurance: int, report_hash: bytes, sender: Sender
    ) -> AttestationReceipt:
        """Record an auditor's attestation of an anchored declaration (never of its own organization's)."""
        ...

    def withdraw_attestation(self, digest: bytes, index: int, reason: Reason, sender: Sender) -> TxResult:
        """Withdraw attestation `index` of `digest` (by the attesting organization or a regulator)."""
        ...

    def issue_label(
        self,
        serial: bytes,
        product_id_hash: bytes,
        leaf: AnchoredLeaf,
        grade: bytes,
        valid: tuple[int, int],
        attestation_index: int,
        terms_hash: bytes,
        sender: Sender,
    ) -> TxResult:
        """Issue carbon label `serial` on a current, positively attested declaration, committing to the keccak-256
        of its canonical terms JSON (`terms_hash`)."""
        ...

    def change_label(self, action: str, serial: bytes, reason: int, sender: Sender) -> TxResult:
        """Suspend, reinstate or revoke label `serial`."""
        ...

    def label(self, serial: bytes) -> LabelRecord | None:
        """Label `serial`, or None when never issued."""
        ...

    def register_member(self, org: str, first_key: str, roles: list[str], sender: Sender) -> TxResult:
        """Register organization `org` with its first key and roles (operator)."""
        ...

    def change_member(self, action: str, org: str, argument: str, sender: Sender) -> TxResult:
        """propose-key/retire-key (argument: address), grant-role/revoke-role (role), suspend (reason), reinstate
        (sent by the operator); add-key/accept-key (address) are sent by an active key of the member itself."""
        ...

    def member(self, org: str) -> MemberRecord | None:
        """Organization `org`, or None when not registered."""
        ...

    def member_names(self) -> list[str]:
        """The names (handles) of every organization ever registered, in registration order."""
        ...

    def fund_if_dev(self, address: str, sender: Sender) -> None:
        """On a development chain, give `address` gas money so it can send its own transactions."""
        ...

    def status(self, operator: str) -> ChainStatus:
        """Chain id, head block, contracts and the operator's balance."""
        ...

    # member-signed transactions relayed unchanged (the server never signs for a member) -------------------------
    def transaction_params(self, address: str) -> TransactionParams:
        """Chain id, `address`'s next nonce, fee hints and a gas limit that covers every relayed call."""
        ...

    def relay_transaction(self, raw: bytes, call: dict[str, Any]) -> TxResult:
        """Simulate `call` (from, to, data, gas), then send the signed `raw` transaction and await its receipt."""
        ...
