"""Typed access to a deployed Tanji: members and keys, anchoring, statuses, attestations, labels."""

from __future__ import annotations

from typing import Any

from chain_tools.deploy import Deployment
from chain_tools.gateway import Receipt, Signer, Web3Gateway
from chain_tools.tanji_types import (
    BatchInfo,
    DeclarationRef,
    DeclarationStatus,
    KeyInfo,
    LabelStatus,
    LeafStatusInfo,
    SuspensionWindow,
    leaf_status,
)
from ledger.organizations import org_id, role_id
from ledger.signing import SignedDeclarationMessage, SigningDomain

__all__ = [
    "BatchInfo",
    "DeclarationRef",
    "DeclarationStatus",
    "KeyInfo",
    "LabelStatus",
    "LeafStatusInfo",
    "SuspensionWindow",
    "TanjiChain",
]
PAGE = 200


class TanjiChain:
    """One deployment of Tanji's contracts, reached through a gateway."""

    def __init__(self, gateway: Web3Gateway, deployment: Deployment) -> None:
        self.gateway = gateway
        self.deployment = deployment
        self.ledger = gateway.contract("TanjiLedger", deployment.ledger)
        self.attestations = gateway.contract("TanjiAttestations", deployment.attestations)
        self.labels = gateway.contract("TanjiLabels", deployment.labels)

    @property
    def signing_domain(self) -> SigningDomain:
        """The EIP-712 domain declarants sign under."""
        return SigningDomain(chain_id=self.gateway.chain_id, verifying_contract=self.deployment.ledger)

    def _tx(self, fn: Any, sender: Signer, context: str, gas: int | None = None) -> Receipt:
        return self.gateway.transact(fn, sender=sender, context=context, gas=gas)

    def _view(self, fn: Any, context: str) -> Any:
        return self.gateway.call(fn, context=context)

    # membership
    def register_member(self, org: str, first_key: str, roles: list[str], *, sender: Signer) -> Receipt:
        """Register organization `org` with `first_key` and `roles` (names)."""
        fn = self.ledger.functions.registerMember(org_id(org), org, first_key, [role_id(r) for r in roles])
        return self._tx(fn, sender, f"register member {org}")

    def grant_role(self, org: str, role: str, *, sender: Signer) -> Receipt:
        """Grant `role` to organization `org`."""
        return self._tx(self.ledger.functions.grantMemberRole(org_id(org), role_id(role)), sender, f"grant {role}")

    def revoke_role(self, org: str, role: str, *, sender: Signer) -> Receipt:
        """Revoke `role` from organization `org`."""
        return self._tx(self.ledger.functions.revokeMemberRole(org_id(org), role_id(role)), sender, f"revoke {role}")

    def add_key(self, org: str, key: str, *, sender: Signer) -> Receipt:
        """Add signing key `key` to organization `org`; `sender` must be an active key of `org` itself."""
        return self._tx(self.ledger.functions.addKey(org_id(org), key), sender, f"add key {key} to {org}")

    def propose_key(self, org: str, key: str, *, sender: Signer) -> Receipt:
        """Propose `key` for organization `org` (admin); it counts only once an active key of `org` accepts it."""
        return self._tx(self.ledger.functions.proposeKey(org_id(org), key), sender, f"propose key {key} for {org}")

    def accept_key(self, org: str, key: str, *, sender: Signer) -> Receipt:
        """Accept the admin's proposal of `key` for `org`; `sender` must be an active key of `org`."""
        return self._tx(self.ledger.functions.acceptKey(org_id(org), key), sender, f"accept key {key} for {org}")

    def retire_key(self, org: str, key: str, *, sender: Signer) -> Receipt:
        """Retire signing key `key` of organization `org`."""
        return self._tx(self.ledger.functions.retireKey(org_id(org), key), sender, f"retire key {key} of {org}")

    def suspend_member(self, org: str, reason: str, *, sender: Signer) -> Receipt:
        """Suspend organization `org`; `reason` is stored as its keccak-256."""
        from eth_hash.auto import keccak

        fn = self.ledger.functions.suspendMember(org_id(org), keccak(reason.encode()))
        return self._tx(fn, sender, f"suspend {org}")

    def reinstate_member(self, org: str, *, sender: Signer) -> Receipt:
        """Reinstate suspended organization `org`."""
        return self._tx(self.ledger.functions.reinstateMember(org_id(org)), sender, f"reinstate {org}")

    def member_info(self, org: str) -> tuple[str, bool, int]:
        """Return (name, suspended, registered-at block) of `org`."""
        name, suspended, registered = self._view(self.ledger.functions.memberInfo(org_id(org)), f"member {org}")
        return str(name), bool(suspended), int(registered)

    def member_has_role(self, org: str, role: str) -> bool:
        """Return True when organization `org` holds `role` (regardless of suspension)."""
        return bool(self._view(self.ledger.functions.memberHasRole(org_id(org), role_id(role)), f"roles of {org}"))

    def member_keys(self, org: str) -> list[str]:
        """Return every key ever added to `org`."""
        return list(self._view(self.ledger.functions.memberKeys(org_id(org)), f"keys of {org}"))

    def active_keys(self, org: str) -> list[str]:
        """Return the active keys of `org` (at most the contract's MAX_ACTIVE_KEYS, in no fixed order)."""
        return list(self._view(self.ledger.functions.activeKeys(org_id(org)), f"active keys of {org}"))

    def proposed_key_org(self, key: str) -> bytes:
        """Return the organization id `key` is proposed for (32 zero bytes when none is pending)."""
        return bytes(self._view(self.ledger.functions.proposedKeyOrg(key), f"proposal of {key}"))

    def suspensions_of(self, org: str) -> list[SuspensionWindow]:
        """Return every suspension of `org`, oldest first."""
        rows = self._view(self.ledger.functions.suspensionsOf(org_id(org)), f"suspensions of {org}")
        return [SuspensionWindow(int(start), int(end)) for start, end in rows]

    def was_org_active_at(self, org: str, block_number: int) -> bool:
        """Return True when `org` was registered and not suspended at `block_number`."""
        return bool(self._view(self.ledger.functions.wasOrgActiveAt(org_id(org), block_number), "wasOrgActiveAt"))

    def was_key_usable_at(self, key: str, block_number: int) -> bool:
        """Return True when `key` was active and its organization unsuspended at `block_number` (the test a
        verifier applies to a declarant at its declaration's anchoring block)."""
        return bool(self._view(self.ledger.functions.wasKeyUsableAt(key, block_number), "wasKeyUsableAt"))

    def has_role(self, role: str, account: str) -> bool:
        """Return True when `account` effectively holds `role` now."""
        return bool(self._view(self.ledger.functions.hasRole(role_id(role), account), "hasRole"))

    def key_info(self, key: str) -> KeyInfo:
        """Return the organization and active window of `key`."""
        org, added, retired = self._view(self.ledger.functions.keyRecord(key), f"key {key}")
        return KeyInfo(org_id=bytes(org), added_at_block=int(added), retired_at_block=int(retired))

    def was_key_active_at(self, key: str, block_number: int) -> bool:
        """Return True when `key` was active at `block_number`."""
        return bool(self._view(self.ledger.functions.wasKeyActiveAt(key, block_number), "wasKeyActiveAt"))

    def require_active(self, account: str, role: str) -> bytes:
        """Return the organization id of `account` or raise the contract's named reason."""
        return bytes(self._view(self.ledger.functions.requireActive(account, role_id(role)), f"{account} as {role}"))

    # declarations
    def anchor_batch(self, root: bytes, leaf_count: int, metadata_uri: str, *, sender: Signer) -> Receipt:
        """Anchor a Merkle root of `leaf_count` declaration leaves."""
        fn = self.ledger.functions.anchorBatch(root, leaf_count, metadata_uri)
        # anchorBatch costs ~49.5k gas plus ~30 per URI byte; a fixed limit saves an eth_estimateGas round
        gas = 90_000 + 64 * len(metadata_uri.encode())
        return self._tx(fn, sender, f"anchor batch 0x{root.hex()}", gas=gas)

    def anchor_signed(self, message: SignedDeclarationMessage, signature: bytes, *, sender: Signer) -> Receipt:
        """Anchor one EIP-712-signed declaration (verified on chain, nonce consumed)."""
        fn = self.ledger.functions.anchorSigned(message.as_tuple(), signature)
        return self._tx(fn, sender, f"anchor signed declaration 0x{message.digest.hex()}")

    def revoke_declaration(
        self, root: bytes, digest: bytes, declarant: str, proof: list[bytes], reason: int, *, sender: Signer
    ) -> Receipt:
        """Revoke one declaration inside batch `root`."""
        fn = self.ledger.functions.revokeDeclaration(root, digest, declarant, proof, reason)
        return self._tx(fn, sender, f"revoke declaration 0x{digest.hex()}")

    def supersede_declaration(
        self, root: bytes, digest: bytes, declarant: str, proof: list[bytes], successor: bytes, *, sender: Signer
    ) -> Receipt:
        """Mark one declaration inside batch `root` as superseded by `successor`."""
        fn = self.ledger.functions.supersedeDeclaration(root, digest, declarant, proof, successor)
        return self._tx(fn, sender, f"supersede declaration 0x{digest.hex()}")

    def supersede_with_consent(
        self, predecessor: DeclarationRef, successor: DeclarationRef, signature: bytes, *, sender: Signer
    ) -> Receipt:
        """Supersede `predecessor` by the anchored `successor` on the strength of `signature` (see
        ledger.signing.sign_supersession) by an active key of the declaring organization; any `sender` may relay."""
        fn = self.ledger.functions.supersedeWithConsent(predecessor.as_tuple(), successor.as_tuple(), signature)
        return self._tx(fn, sender, f"supersede declaration 0x{predecessor.digest.hex()} with consent")

    def hash_supersession(self, predecessor: bytes, successor: bytes) -> bytes:
        """The EIP-712 digest of a supersession consent, as the ledger computes it."""
        return bytes(self._view(self.ledger.functions.hashSupersession(predecessor, successor), "hashSupersession"))

    def batch_of(self, root: bytes) -> BatchInfo | None:
        """Return the batch anchored under `root`, or None."""
        block, count, anchorer = self._view(self.ledger.functions.batchOf(root), f"batch 0x{root.hex()}")
        return None if block == 0 else BatchInfo(int(block), int(count), str(anchorer))

    def status_of(self, root: bytes, leaf: bytes, proof: list[bytes]) -> tuple[BatchInfo, LeafStatusInfo]:
        """Return the batch and status of `leaf` in `root` (reverts are raised by name)."""
        batch, status = self._view(self.ledger.functions.statusOf(root, leaf, proof), f"status of 0x{leaf.hex()}")
        return BatchInfo(*batch), leaf_status(status)

    def leaf_statuses(self, leaves: list[bytes]) -> list[LeafStatusInfo]:
        """Return the recorded status changes of `leaves` (UNKNOWN: none recorded) in one call."""
        return [leaf_status(item) for item in self._view(self.ledger.functions.leafStatuses(leaves), "statuses")]

    def changed_leaves(self, *, page: int = 500) -> dict[bytes, LeafStatusInfo]:
        """Every leaf whose status was ever changed, with its status (one call per `page` changes)."""
        total = int(self._view(self.ledger.functions.changedLeafCount(), "changed leaf count"))
        changed: dict[bytes, LeafStatusInfo] = {}
        for start in range(0, total, page):
            leaves, statuses = self._view(self.ledger.functions.changedLeaves(start, page), "changed leaves")
            changed.update((bytes(leaf), leaf_status(status)) for leaf, status in zip(leaves, statuses, strict=True))
        return changed

    def nonce_of(self, declarant: str) -> int:
        """Return the next on-chain nonce of `declarant` for signed anchoring."""
        return int(self._view(self.ledger.functions.nonces(declarant), "nonces"))

    # attestations and labels
    def attest(
        self, declaration: DeclarationRef, result: int, assurance: int, report_hash: bytes, *, sender: Signer
    ) -> Receipt:
        """Record an auditor attestation of the anchored `declaration` (its index: `attestation_index(receipt)`)."""
        fn = self.attestations.functions.attest(declaration.as_tuple(), result, assurance, report_hash)
        return self._tx(fn, sender, f"attest 0x{declaration.digest.hex()}")

    def attestation_index(self, receipt: Receipt) -> int:
        """The index of the attestation recorded by `receipt` (from its DeclarationAttested event)."""
        events = self.attestations.events.DeclarationAttested().process_receipt({"logs": list(receipt.logs)})
        if len(events) != 1:
            raise ValueError(f"transaction {receipt.tx_hash} recorded {len(events)} attestations, expected 1")
        return int(events[0]["args"]["index"])

    def withdraw_attestation(self, digest: bytes, index: int, reason: int, *, sender: Signer) -> Receipt:
        """Withdraw attestation `index` of `digest` for `reason` (attesting organization or a regulator)."""
        fn = self.attestations.functions.withdrawAttestation(digest, index, reason)
        return self._tx(fn, sender, f"withdraw attestation {index} of 0x{digest.hex()}")

    def attestation_count(self, digest: bytes) -> int:
        """How many attestations `digest` has (withdrawn ones included)."""
        return int(self._view(self.attestations.functions.attestationCount(digest), "attestation count"))

    def attestations_of(self, digest: bytes) -> list[tuple[Any, ...]]:
        """Every attestation of `digest`, oldest first, read page by page. Each row is (auditorOrg, auditor, result,
        assurance, attestedAtBlock, reportHash, declarant, withdrawnAtBlock, withdrawReason)."""
        total, rows = self.attestation_count(digest), []
        for offset in range(0, total, PAGE):
            rows += self._view(self.attestations.functions.attestationsOf(digest, offset, PAGE), "attestations")
        return [tuple(row) for row in rows]

    def issue_label(
        self,
        serial: bytes,
        product_id_hash: bytes,
        declaration: DeclarationRef,
        grade: bytes,
        valid: tuple[int, int],
        attestation_index: int,
        terms_hash: bytes,
        *,
        sender: Signer,
    ) -> Receipt:
        """Issue carbon label `serial` valid in [valid[0], valid[1]) on the anchored, current `declaration`, backed
        by its positive, standing attestation number `attestation_index`; `terms_hash` commits to its terms."""
        fn = self.labels.functions.issueLabel(
            serial,
            product_id_hash,
            declaration.as_tuple(),
            grade.ljust(16, b"\0"),
            *valid,
            attestation_index,
            terms_hash,
        )
        return self._tx(fn, sender, f"issue label 0x{serial.hex()}")

    def change_label(self, action: str, serial: bytes, reason: int = 0, *, sender: Signer) -> Receipt:
        """Suspend, reinstate or revoke label `serial` (`action` is the verb)."""
        functions = self.labels.functions
        fn = {
            "suspend": lambda: functions.suspendLabel(serial, reason),
            "reinstate": lambda: functions.reinstateLabel(serial),
            "revoke": lambda: functions.revokeLabel(serial, reason),
        }[action]()
        return self._tx(fn, sender, f"{action} label 0x{serial.hex()}")

    def label_count(self, digest: bytes) -> int:
        """How many labels were issued on declaration `digest`."""
        return int(self._view(self.labels.functions.labelCount(digest), f"label count of 0x{digest.hex()}"))

    def labels_of(self, digest: bytes) -> list[bytes]:
        """Serials of the labels issued on declaration `digest`, oldest first, read page by page."""
        total, serials = self.label_count(digest), []
        for offset in range(0, total, PAGE):
            serials += self._view(self.labels.functions.labelsOf(digest, offset, PAGE), f"labels of 0x{digest.hex()}")
        return [bytes(serial) for serial in serials]

    def label_status(self, serial: bytes) -> LabelStatus:
        """Return the status of label `serial` now (label state, declaration status, attestation, window)."""
        return LabelStatus(self._view(self.labels.functions.labelStatus(serial), f"label 0x{serial.hex()}"))
