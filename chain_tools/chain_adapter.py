"""The ledger's chain ports (ledger.chain_port) over a deployed Tanji, translating chain errors to ledger errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from chain_tools.errors import ChainConnectionError, ContractReverted, TransactionFailed
from chain_tools.gateway import DEV_CHAIN_IDS, Receipt, TransactionRefused
from chain_tools.port_values import attestation_entry, label_entry, label_record, leaf_state_of
from chain_tools.tanji_chain import DeclarationRef, TanjiChain
from ledger.chain_port import (
    AnchoredLeaf,
    AttestationReceipt,
    ChainStatus,
    KeyWindow,
    LabelRecord,
    LeafState,
    MemberKey,
    MemberRecord,
    Sender,
    TransactionParams,
    TrustAnchors,
    TxResult,
)
from ledger.codes import DeclarationStatus, LabelStatus, Reason, Role
from ledger.errors import ChainUnavailableError, TransactionRefusedByNodeError, chain_rejection
from ledger.organizations import org_id
from ledger.signing import SigningDomain

T = TypeVar("T")
DEV_MEMBER_FUNDING = 10 * 10**18
RELAY_GAS = 1_500_000  # covers every relayed call (issueLabel, the costliest, needs well under 400k)
NO_CHANGE = LeafState(DeclarationStatus.UNKNOWN, 0, 0, "0x" + "00" * 20, bytes(32))


def translated(call: Callable[[], T]) -> T:
    """Run `call`, turning chain_tools errors into ledger errors."""
    try:
        return call()
    except ContractReverted as exc:
        raise chain_rejection(exc.name, dict(exc.arguments), str(exc)) from exc
    except (ChainConnectionError, TransactionFailed, ConnectionError, OSError) as exc:
        raise ChainUnavailableError(f"chain unavailable: {exc}") from exc


def _mined(call: Callable[[], Receipt]) -> TxResult:
    receipt = translated(call)
    return TxResult(receipt.tx_hash, receipt.block_number)


class ChainAdapter:
    """ledger.chain_port.ActingChainPort over a TanjiChain; `anchorer` signs anchoring transactions."""

    def __init__(self, tanji: TanjiChain, anchorer: Sender | None = None) -> None:
        self.tanji = tanji
        self.anchorer = anchorer

    @property
    def signing_domain(self) -> SigningDomain:
        """EIP-712 domain of the deployment."""
        return self.tanji.signing_domain

    @property
    def trust_anchors(self) -> TrustAnchors:
        """Chain id and contract addresses of the deployment."""
        d = self.tanji.deployment
        return TrustAnchors(d.chain_id, d.ledger, d.attestations, d.labels)

    # views used by verification ------------------------------------------------------------------------------------
    def require_active(self, account: str, role: str) -> bytes:
        """Organization id of an active key with `role`."""
        return translated(lambda: self.tanji.require_active(account, role))

    def key_window(self, account: str) -> KeyWindow:
        """Key record of `account`."""
        info = translated(lambda: self.tanji.key_info(account))
        return KeyWindow(info.org_id, info.added_at_block, info.retired_at_block)

    def was_key_usable_at(self, account: str, block: int) -> bool:
        """Was `account` active and its organization unsuspended at `block`?"""
        return translated(lambda: self.tanji.was_key_usable_at(account, block))

    def anchored_block(self, root: bytes) -> int | None:
        """Anchoring block of `root`."""
        batch = translated(lambda: self.tanji.batch_of(root))
        return None if batch is None else batch.anchored_at_block

    def anchor_batch(self, root: bytes, leaf_count: int, metadata_uri: str) -> tuple[str, int]:
        """Send anchorBatch with the anchorer key."""
        if self.anchorer is None:
            raise ChainUnavailableError("no anchorer key configured for this ledger service")
        anchorer = self.anchorer
        receipt = translated(lambda: self.tanji.anchor_batch(root, leaf_count, metadata_uri, sender=anchorer))
        return receipt.tx_hash, receipt.block_number

    def supersede_with_consent(self, predecessor: AnchoredLeaf, successor: AnchoredLeaf, signature: bytes) -> TxResult:
        """Relay a member-signed supersession consent with the anchorer key (it cannot forge one)."""
        if self.anchorer is None:
            raise ChainUnavailableError("no anchorer key configured for this ledger service")
        anchorer = self.anchorer
        return _mined(
            lambda: self.tanji.supersede_with_consent(_ref(predecessor), _ref(successor), signature, sender=anchorer)
        )

    def leaf_states(self, leaves: list[bytes]) -> list[LeafState]:
        """Leaf statuses: per leaf for a few, from the chain's change log (read once) for many."""
        if len(leaves) > 64:
            changed = translated(lambda: self.tanji.changed_leaves())
            return [leaf_state_of(info) if (info := changed.get(leaf)) is not None else NO_CHANGE for leaf in leaves]
        states: list[LeafState] = []
        for start in range(0, len(leaves), 500):
            chunk = leaves[start : start + 500]
            infos = translated(lambda chunk=chunk: self.tanji.leaf_statuses(chunk))  # type: ignore[misc]
            states.extend(leaf_state_of(info) for info in infos)
        return states

    def labels(self, digest: bytes) -> list[dict[str, Any]]:
        """Carbon labels issued on `digest`, with their current status."""
        found = []
        for serial in translated(lambda: self.tanji.labels_of(digest)):
            record = self.label(serial)
            assert record is not None  # labels_of lists issued labels only
            found.append(label_entry(serial, record))
        return found

    def attestations(self, digest: bytes) -> list[dict[str, Any]]:
        """Attestations of `digest`, decoded."""
        rows = translated(lambda: self.tanji.attestations_of(digest))
        return [attestation_entry(index, row) for index, row in enumerate(rows)]

    # transactions members sign with their own wallets ---------------------------------------------------------------
    def revoke_declaration(
        self, root: bytes, digest: bytes, declarant: str, proof: list[bytes], reason: Reason, sender: Sender
    ) -> TxResult:
        """Revoke one anchored declaration."""
        return _mined(lambda: self.tanji.revoke_declaration(root, digest, declarant, proof, int(reason), sender=sender))

    def supersede_declaration(
        self, root: bytes, digest: bytes, declarant: str, proof: list[bytes], successor: bytes, sender: Sender
    ) -> TxResult:
        """Mark one anchored declaration superseded by `successor`."""
        return _mined(
            lambda: self.tanji.supersede_declaration(root, digest, declarant, proof, successor, sender=sender)
        )

    def attest(
        self, leaf: AnchoredLeaf, result: int, assurance: int, report_hash: bytes, sender: Sender
    ) -> AttestationReceipt:
        """Record an attestation of an anchored declaration."""
        receipt = translated(lambda: self.tanji.attest(_ref(leaf), result, assurance, report_hash, sender=sender))
        index = translated(lambda: self.tanji.attestation_index(receipt))
        return AttestationReceipt(receipt.tx_hash, receipt.block_number, index)

    def withdraw_attestation(self, digest: bytes, index: int, reason: Reason, sender: Sender) -> TxResult:
        """Withdraw an attestation."""
        return _mined(lambda: self.tanji.withdraw_attestation(digest, index, int(reason), sender=sender))

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
        """Issue a label on a current, positively attested declaration, committing to its terms."""
        ref = _ref(leaf)
        return _mined(
            lambda: self.tanji.issue_label(
                serial, product_id_hash, ref, grade, valid, attestation_index, terms_hash, sender=sender
            )
        )

    def change_label(self, action: str, serial: bytes, reason: int, sender: Sender) -> TxResult:
        """Suspend, reinstate or revoke a label."""
        return _mined(lambda: self.tanji.change_label(action, serial, reason, sender=sender))

    def label(self, serial: bytes) -> LabelRecord | None:
        """Label `serial` with its status now, or None."""

        def read() -> LabelRecord | None:
            status = self.tanji.label_status(serial)
            if status is LabelStatus.UNKNOWN:
                return None
            return label_record(self.tanji.gateway.call(self.tanji.labels.functions.labelOf(serial)), status)

        return translated(read)

    # the operator's membership administration -----------------------------------------------------------------------
    def register_member(self, org: str, first_key: str, roles: list[str], sender: Sender) -> TxResult:
        """Register an organization."""
        return _mined(lambda: self.tanji.register_member(org, first_key, roles, sender=sender))

    def change_member(self, action: str, org: str, argument: str, sender: Sender) -> TxResult:
        """Keys, roles and suspension of a member."""
        t = self.tanji
        actions: dict[str, Callable[[], Receipt]] = {
            "add-key": lambda: t.add_key(org, argument, sender=sender),
            "propose-key": lambda: t.propose_key(org, argument, sender=sender),
            "accept-key": lambda: t.accept_key(org, argument, sender=sender),
            "retire-key": lambda: t.retire_key(org, argument, sender=sender),
            "grant-role": lambda: t.grant_role(org, argument, sender=sender),
            "revoke-role": lambda: t.revoke_role(org, argument, sender=sender),
            "suspend": lambda: t.suspend_member(org, argument, sender=sender),
            "reinstate": lambda: t.reinstate_member(org, sender=sender),
        }
        return _mined(actions[action])

    def member(self, org: str) -> MemberRecord | None:
        """An organization with its roles and keys, or None when not registered."""

        def read() -> MemberRecord | None:
            name, suspended, registered = self.tanji.member_info(org)
            if registered == 0:
                return None
            roles = tuple(role.cli_name for role in Role if self.tanji.member_has_role(org, role.cli_name))
            keys = []
            for key in self.tanji.member_keys(org):
                info = self.tanji.key_info(key)
                keys.append(MemberKey(key, info.added_at_block, info.retired_at_block))
            return MemberRecord(name, org_id(org), suspended, registered, roles, tuple(keys))

        return translated(read)

    def member_names(self) -> list[str]:
        """The names (handles) of every organization ever registered, from the MemberRegistered events."""
        ledger, start = self.tanji.ledger, self.tanji.deployment.deployed_at_block

        def read() -> list[str]:
            logs = ledger.events.MemberRegistered.get_logs(from_block=start)
            return [str(log["args"]["name"]) for log in logs]

        return translated(read)

    def fund_if_dev(self, address: str, sender: Sender) -> None:
        """On development chains, give a member key gas money so it can send its own transactions."""
        gw = self.tanji.gateway
        if gw.chain_id in DEV_CHAIN_IDS and gw.balance(address) < DEV_MEMBER_FUNDING // 10:
            translated(lambda: gw.transfer(address, DEV_MEMBER_FUNDING, sender=sender))

    def status(self, operator: str) -> ChainStatus:
        """Chain id, head block, contracts and operator balance."""
        gw = self.tanji.gateway
        return translated(
            lambda: ChainStatus(gw.chain_id, gw.block_number(), self.trust_anchors, operator, gw.balance(operator))
        )

    # member-signed transactions, relayed unchanged -----------------------------------------------------------------
    def transaction_params(self, address: str) -> TransactionParams:
        """Chain id, next nonce, fee hints and a gas limit for a member's wallet."""
        gw = self.tanji.gateway
        return translated(lambda: TransactionParams(gw.chain_id, gw.pending_nonce(address), gw.fee_hints(), RELAY_GAS))

    def relay_transaction(self, raw: bytes, call: dict[str, Any]) -> TxResult:
        """Simulate, then send a member's signed transaction as it is."""
        try:
            return _mined(lambda: self.tanji.gateway.relay(raw, call, context=f"transaction of {call['from']}"))
        except ChainUnavailableError as exc:
            if isinstance(exc.__cause__, TransactionRefused):
                raise TransactionRefusedByNodeError(f"the chain refused the transaction: {exc.__cause__}") from None
            raise


def _ref(leaf: AnchoredLeaf) -> DeclarationRef:
    return DeclarationRef(leaf.root, leaf.digest, leaf.declarant, leaf.proof)
