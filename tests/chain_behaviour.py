"""One behaviour suite for every chain backend (embedded py-evm, Hardhat node, anvil).

Subclasses provide a `chain` fixture; every test here then runs against that backend, so reverts, events and
statuses are proven identical across backends.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from eth_account import Account
from eth_hash.auto import keccak

from chain_tools.errors import ContractReverted
from chain_tools.tanji_chain import DeclarationRef, DeclarationStatus, LabelStatus
from ledger.merkle import MerkleTree, declaration_leaf
from ledger.organizations import org_id, role_id
from ledger.signing import SignedDeclarationMessage, SigningDomain, sign_message, signing_hash

TERMS = keccak(b"label terms (RFC 8785 canonical JSON)")


def reverted(excinfo: pytest.ExceptionInfo[ContractReverted], name: str, **args: Any) -> None:
    """Assert the decoded revert has `name` and exactly `args`."""
    assert excinfo.value.name == name, str(excinfo.value)
    assert excinfo.value.arguments == args


def anchored_batch(tanji: Any, size: int = 4) -> tuple[MerkleTree, list[bytes]]:
    digests = [keccak(os.urandom(32)) for _ in range(size)]
    tree = MerkleTree.build([declaration_leaf(d, tanji.supplier.address) for d in digests])
    tanji.client.anchor_batch(tree.root, size, "", sender=tanji.chain.operator)
    return tree, digests


def anchored_refs(tanji: Any, size: int = 2, declarant: str | None = None) -> list[DeclarationRef]:
    """Anchor `size` fresh declarations of `declarant` (default: the supplier) and return their references."""
    declarant = declarant or tanji.supplier.address
    digests = [keccak(os.urandom(32)) for _ in range(size)]
    tree = MerkleTree.build([declaration_leaf(d, declarant) for d in digests])
    tanji.client.anchor_batch(tree.root, size, "", sender=tanji.chain.operator)
    return [DeclarationRef(tree.root, digest, declarant, tree.proof(i)) for i, digest in enumerate(digests)]


def block_time(tanji: Any) -> int:
    return int(tanji.chain.gateway.w3.eth.get_block("latest")["timestamp"])


def signed(tanji: Any, *, domain: SigningDomain | None = None, nonce: int | None = None) -> tuple[Any, bytes]:
    client = tanji.client
    message = SignedDeclarationMessage(
        digest=keccak(os.urandom(32)),
        declarant=tanji.supplier.address,
        product_id_hash=keccak(b"urn:tanji:p"),
        version=1,
        valid_from=0,
        valid_until=0,
        nonce=client.nonce_of(tanji.supplier.address) if nonce is None else nonce,
    )
    return message, sign_message(domain or client.signing_domain, message, tanji.supplier.key)


class ChainBehaviour:
    """Tests every backend must pass. Subclasses define the `tanji` fixture."""

    def test_chain_id_is_read_from_the_chain(self, tanji: Any) -> None:
        expected = {"embedded": 131277322940537, "hardhat": 31337, "anvil": 31337}[tanji.chain.kind]
        assert tanji.chain.gateway.chain_id == expected == tanji.client.deployment.chain_id

    def test_anchored_batch_proofs_verify_on_chain(self, tanji: Any) -> None:
        tree, _ = anchored_batch(tanji, 5)
        batch = tanji.client.batch_of(tree.root)
        assert batch is not None and batch.leaf_count == 5 and batch.anchorer == tanji.chain.operator.address
        for index, leaf in enumerate(tree.leaves):
            got_batch, status = tanji.client.status_of(tree.root, leaf, tree.proof(index))
            assert got_batch == batch and status.status is DeclarationStatus.ANCHORED

    def test_duplicate_root_reverts_by_name_and_spends_no_nonce(self, tanji: Any) -> None:
        tree, _ = anchored_batch(tanji)
        gateway, operator = tanji.chain.gateway, tanji.chain.operator
        nonce_before = gateway.w3.eth.get_transaction_count(operator.address)
        anchored_at = tanji.client.batch_of(tree.root).anchored_at_block
        with pytest.raises(ContractReverted) as excinfo:
            tanji.client.anchor_batch(tree.root, 4, "", sender=operator)
        reverted(excinfo, "TanjiRootAlreadyAnchored", root=tree.root, anchoredAtBlock=anchored_at)
        assert gateway.w3.eth.get_transaction_count(operator.address) == nonce_before
        tanji.client.anchor_batch(keccak(b"next"), 1, "", sender=operator)  # the tracked nonce is still right

    def test_zero_root_and_zero_leaf_count_are_refused(self, tanji: Any) -> None:
        with pytest.raises(ContractReverted) as excinfo:
            tanji.client.anchor_batch(b"\0" * 32, 1, "", sender=tanji.chain.operator)
        reverted(excinfo, "TanjiZeroRoot")
        root = keccak(b"r")
        with pytest.raises(ContractReverted) as excinfo:
            tanji.client.anchor_batch(root, 0, "", sender=tanji.chain.operator)
        reverted(excinfo, "TanjiZeroLeafCount", root=root)
        assert tanji.client.batch_of(root) is None

    def test_non_member_wrong_role_and_suspended_member_cannot_anchor(self, tanji: Any) -> None:
        root = keccak(b"gate")
        with pytest.raises(ContractReverted) as excinfo:
            tanji.client.anchor_batch(root, 1, "", sender=tanji.outsider)
        reverted(excinfo, "TanjiNotMember", account=tanji.outsider.address)
        with pytest.raises(ContractReverted) as excinfo:
            tanji.client.anchor_batch(root, 1, "", sender=tanji.supplier)
        reverted(
            excinfo, "TanjiMissingRole", account=tanji.supplier.address, orgId=org_id("acme"), role=role_id("anchorer")
        )
        tanji.client.grant_role("acme", "anchorer", sender=tanji.chain.operator)
        tanji.client.suspend_member("acme", "investigation", sender=tanji.regulator)
        with pytest.raises(ContractReverted) as excinfo:
            tanji.client.anchor_batch(root, 1, "", sender=tanji.supplier)
        reverted(excinfo, "TanjiMemberSuspended", orgId=org_id("acme"))
        tanji.client.reinstate_member("acme", sender=tanji.regulator)
        tanji.client.anchor_batch(root, 1, "", sender=tanji.supplier)
        assert tanji.client.batch_of(root) is not None

    def test_retired_key_cannot_act_and_stays_judgeable(self, tanji: Any) -> None:
        client, operator = tanji.client, tanji.chain.operator
        replacement = Account.create()
        tanji.chain.fund(replacement.address)
        client.add_key("acme", replacement.address, sender=tanji.supplier)
        before = tanji.chain.gateway.block_number()
        receipt = client.retire_key("acme", tanji.supplier.address, sender=replacement)
        assert client.was_key_active_at(tanji.supplier.address, before)
        assert not client.was_key_active_at(tanji.supplier.address, receipt.block_number)
        with pytest.raises(ContractReverted) as excinfo:
            client.require_active(tanji.supplier.address, "supplier")
        reverted(excinfo, "TanjiKeyRetired", key=tanji.supplier.address, retiredAtBlock=receipt.block_number)
        message, signature = signed(tanji)
        with pytest.raises(ContractReverted) as excinfo:
            client.anchor_signed(message, signature, sender=operator)
        reverted(excinfo, "TanjiKeyRetired", key=tanji.supplier.address, retiredAtBlock=receipt.block_number)

    def test_python_and_contract_agree_on_the_eip712_digest(self, tanji: Any) -> None:
        message, _ = signed(tanji)
        on_chain = tanji.chain.gateway.call(tanji.client.ledger.functions.hashSignedDeclaration(message.as_tuple()))
        assert bytes(on_chain) == signing_hash(tanji.client.signing_domain, message)

    def test_signed_anchor_consumes_the_nonce_and_replay_is_refused(self, tanji: Any) -> None:
        message, signature = signed(tanji)
        tanji.client.anchor_signed(message, signature, sender=tanji.chain.operator)
        leaf = declaration_leaf(message.digest, message.declarant)
        assert tanji.client.status_of(leaf, leaf, [])[1].status is DeclarationStatus.ANCHORED
        with pytest.raises(ContractReverted) as excinfo:
            tanji.client.anchor_signed(message, signature, sender=tanji.chain.operator)
        reverted(excinfo, "InvalidAccountNonce", account=tanji.supplier.address, currentNonce=1)

    @pytest.mark.parametrize("field", ["chain_id", "verifying_contract"])
    def test_signature_for_another_chain_or_contract_is_refused(self, tanji: Any, field: str) -> None:
        real = tanji.client.signing_domain
        other = SigningDomain(
            chain_id=real.chain_id + 1 if field == "chain_id" else real.chain_id,
            verifying_contract=Account.create().address if field == "verifying_contract" else real.verifying_contract,
        )
        message, signature = signed(tanji, domain=other)
        recovered = Account._recover_hash(signing_hash(real, message), signature=signature)
        with pytest.raises(ContractReverted) as excinfo:
            tanji.client.anchor_signed(message, signature, sender=tanji.chain.operator)
        reverted(excinfo, "TanjiInvalidSignature", declarant=tanji.supplier.address, recovered=recovered)

    def test_declarant_revokes_and_regulator_supersedes_inside_a_batch(self, tanji: Any) -> None:
        tree, digests = anchored_batch(tanji)
        client = tanji.client
        client.revoke_declaration(
            tree.root, digests[0], tanji.supplier.address, tree.proof(0), 3, sender=tanji.supplier
        )
        client.supersede_declaration(
            tree.root, digests[1], tanji.supplier.address, tree.proof(1), keccak(b"v2"), sender=tanji.regulator
        )
        statuses = client.leaf_statuses(list(tree.leaves))
        assert [s.status for s in statuses] == [
            DeclarationStatus.REVOKED,
            DeclarationStatus.SUPERSEDED,
            DeclarationStatus.UNKNOWN,
            DeclarationStatus.UNKNOWN,
        ]
        assert statuses[0].reason == 3 and statuses[0].changed_by == tanji.supplier.address
        assert statuses[1].successor == keccak(b"v2")
        with pytest.raises(ContractReverted) as excinfo:
            client.revoke_declaration(
                tree.root, digests[2], tanji.supplier.address, tree.proof(2), 1, sender=tanji.auditor
            )
        reverted(
            excinfo, "TanjiNotDeclarantOrRegulator", caller=tanji.auditor.address, declarant=tanji.supplier.address
        )

    def test_unknown_leaf_and_mismatched_proof_are_refused(self, tanji: Any) -> None:
        tree, _ = anchored_batch(tanji)
        stranger = keccak(b"not in this batch")
        with pytest.raises(ContractReverted) as excinfo:
            tanji.client.revoke_declaration(
                tree.root, stranger, tanji.supplier.address, tree.proof(0), 1, sender=tanji.supplier
            )
        reverted(
            excinfo, "TanjiLeafNotInBatch", root=tree.root, leaf=declaration_leaf(stranger, tanji.supplier.address)
        )
        with pytest.raises(ContractReverted) as excinfo:
            tanji.client.status_of(tree.root, tree.leaves[0], tree.proof(1))
        reverted(excinfo, "TanjiLeafNotInBatch", root=tree.root, leaf=tree.leaves[0])
        assert all(s.status is DeclarationStatus.UNKNOWN for s in tanji.client.leaf_statuses(list(tree.leaves)))

    def test_attestation_and_label_lifecycle(self, tanji: Any) -> None:
        client = tanji.client
        (ref,) = anchored_refs(tanji, 1)
        serial = keccak(b"CN-CL-0001")
        receipt = client.attest(ref, 1, 2, keccak(b"report"), sender=tanji.auditor)
        assert client.attestation_index(receipt) == 0
        (attestation,) = client.attestations_of(ref.digest)
        assert attestation[0] == org_id("audit") and attestation[2:4] == (1, 2)
        assert attestation[6] == tanji.supplier.address and attestation[7:] == (0, 0)
        with pytest.raises(ContractReverted) as excinfo:
            client.attest(ref, 9, 1, keccak(b"report"), sender=tanji.auditor)
        reverted(excinfo, "TanjiInvalidAttestationResult", result=9)
        now = block_time(tanji)
        client.issue_label(
            serial, keccak(b"product"), ref, b"A+", (now - 60, now + 86_400), 0, TERMS, sender=tanji.certifier
        )
        from chain_tools.chain_adapter import ChainAdapter

        record = ChainAdapter(client).label(serial)
        assert record is not None and record.terms_hash == TERMS
        assert client.label_status(serial) is LabelStatus.VALID
        client.change_label("suspend", serial, 1, sender=tanji.certifier)
        assert client.label_status(serial) is LabelStatus.SUSPENDED
        client.change_label("revoke", serial, 6, sender=tanji.regulator)
        assert client.label_status(serial) is LabelStatus.REVOKED
        with pytest.raises(ContractReverted) as excinfo:
            client.change_label("reinstate", serial, sender=tanji.certifier)
        reverted(excinfo, "TanjiLabelStateConflict", serial=serial, state=3)

    def test_change_log_lists_every_status_change_once(self, tanji: Any) -> None:
        tree, digests = anchored_batch(tanji, 6)
        client = tanji.client
        assert client.changed_leaves() == {}
        client.revoke_declaration(
            tree.root, digests[4], tanji.supplier.address, tree.proof(4), 2, sender=tanji.supplier
        )
        client.supersede_declaration(
            tree.root, digests[1], tanji.supplier.address, tree.proof(1), keccak(b"v2"), sender=tanji.regulator
        )
        changed = client.changed_leaves(page=1)
        assert set(changed) == {tree.leaves[4], tree.leaves[1]}
        assert changed[tree.leaves[4]].status is DeclarationStatus.REVOKED and changed[tree.leaves[4]].reason == 2
        assert changed[tree.leaves[1]].status is DeclarationStatus.SUPERSEDED
        empty = client.gateway.call(client.ledger.functions.changedLeaves(5, 10))
        assert list(empty[0]) == [] and list(empty[1]) == []

    def test_labels_are_found_by_declaration_digest_with_status(
        self, tanji: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        import chain_tools.tanji_chain
        from chain_tools.chain_adapter import ChainAdapter

        monkeypatch.setattr(chain_tools.tanji_chain, "PAGE", 2)  # three labels span two pages
        client = tanji.client
        (ref,) = anchored_refs(tanji, 1)
        client.attest(ref, 1, 1, keccak(b"report"), sender=tanji.auditor)
        now = block_time(tanji)
        for serial in (b"CN-1", b"CN-2", b"CN-3"):
            client.issue_label(
                keccak(serial), keccak(b"product"), ref, b"A", (now - 10, now + 3600), 0, TERMS, sender=tanji.certifier
            )
        client.change_label("revoke", keccak(b"CN-2"), 3, sender=tanji.certifier)
        assert client.label_count(ref.digest) == 3
        labels = ChainAdapter(client).labels(ref.digest)
        assert [(label["grade"], label["status"]) for label in labels] == [
            ("A", "valid"),
            ("A", "revoked"),
            ("A", "valid"),
        ]
        assert client.labels_of(keccak(b"other")) == []
