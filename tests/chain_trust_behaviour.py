"""Trust behaviour every chain backend must show: key consent, bounded key sets, suspension history, consented
supersession, attestation independence and withdrawal, labels that fall with their declaration.

Mixed into the backend classes of tests/chain_tools/test_chain_backends.py next to ChainBehaviour.
"""

from __future__ import annotations

from typing import Any

import pytest
from chain_behaviour import TERMS, anchored_refs, block_time, reverted
from eth_account import Account
from eth_hash.auto import keccak

from chain_tools.chain_adapter import ChainAdapter
from chain_tools.errors import ContractReverted
from chain_tools.tanji_chain import DeclarationRef, DeclarationStatus, LabelStatus, SuspensionWindow
from ledger.merkle import declaration_leaf
from ledger.organizations import org_id
from ledger.signing import sign_supersession, supersession_hash


class TrustBehaviour:
    """Attacks every backend must stop, each named after the attack. Subclasses define the `tanji` fixture."""

    def test_operator_cannot_add_its_own_key_to_a_member_without_consent(self, tanji: Any) -> None:
        client, operator = tanji.client, tanji.chain.operator
        held_by_operator = Account.create()
        with pytest.raises(ContractReverted) as excinfo:
            client.add_key("acme", held_by_operator.address, sender=operator)
        reverted(excinfo, "TanjiNotKeyManager", account=operator.address, orgId=org_id("acme"))
        client.propose_key("acme", held_by_operator.address, sender=operator)
        assert client.proposed_key_org(held_by_operator.address) == org_id("acme")
        with pytest.raises(ContractReverted) as excinfo:
            client.require_active(held_by_operator.address, "supplier")
        reverted(excinfo, "TanjiNotMember", account=held_by_operator.address)
        client.accept_key("acme", held_by_operator.address, sender=tanji.supplier)
        assert client.require_active(held_by_operator.address, "supplier") == org_id("acme")
        assert set(client.active_keys("acme")) == {tanji.supplier.address, held_by_operator.address}

    def test_member_cannot_pile_up_active_keys(self, tanji: Any) -> None:
        client = tanji.client
        for _ in range(7):
            client.add_key("acme", Account.create().address, sender=tanji.supplier)
        extra = Account.create().address
        with pytest.raises(ContractReverted) as excinfo:
            client.add_key("acme", extra, sender=tanji.supplier)
        reverted(excinfo, "TanjiTooManyActiveKeys", orgId=org_id("acme"), maxActiveKeys=8)
        assert len(client.active_keys("acme")) == 8 and extra not in client.member_keys("acme")

    def test_declaration_anchored_while_its_org_was_suspended_is_detectable(self, tanji: Any) -> None:
        client, supplier = tanji.client, tanji.supplier.address
        before = anchored_refs(tanji, 1)[0]
        suspended = client.suspend_member("acme", "investigation", sender=tanji.regulator).block_number
        during = anchored_refs(tanji, 1)[0]
        reinstated = client.reinstate_member("acme", sender=tanji.regulator).block_number
        after = anchored_refs(tanji, 1)[0]
        blocks = [client.batch_of(ref.root).anchored_at_block for ref in (before, during, after)]
        assert [client.was_key_usable_at(supplier, block) for block in blocks] == [True, False, True]
        assert client.was_key_active_at(supplier, blocks[1])  # the key alone does not tell
        assert client.suspensions_of("acme") == [SuspensionWindow(suspended, reinstated)]
        assert not client.was_org_active_at("acme", reinstated) and client.was_org_active_at("acme", reinstated + 1)

    def test_anchorer_relays_a_member_signed_supersession_without_holding_member_keys(self, tanji: Any) -> None:
        client = tanji.client
        old, new = anchored_refs(tanji, 2)
        domain = client.signing_domain
        assert client.hash_supersession(old.digest, new.digest) == supersession_hash(domain, old.digest, new.digest)
        signature = sign_supersession(domain, old.digest, new.digest, tanji.supplier.key)
        client.supersede_with_consent(old, new, signature, sender=tanji.chain.operator)
        leaf = declaration_leaf(old.digest, old.declarant)
        (status,) = client.leaf_statuses([leaf])
        assert status.status is DeclarationStatus.SUPERSEDED
        assert (status.changed_by, status.successor) == (tanji.supplier.address, new.digest)
        with pytest.raises(ContractReverted) as excinfo:
            client.supersede_with_consent(old, new, signature, sender=tanji.chain.operator)
        reverted(excinfo, "TanjiDeclarationFinal", leaf=leaf, status=3)

    def test_operator_signature_cannot_supersede_a_members_declaration(self, tanji: Any) -> None:
        client, operator = tanji.client, tanji.chain.operator
        old, new = anchored_refs(tanji, 2)
        forged = sign_supersession(client.signing_domain, old.digest, new.digest, operator.key)
        with pytest.raises(ContractReverted) as excinfo:
            client.supersede_with_consent(old, new, forged, sender=operator)
        reverted(excinfo, "TanjiSupersessionNotConsented", signer=operator.address, orgId=org_id("acme"))
        (status,) = client.leaf_statuses([declaration_leaf(old.digest, old.declarant)])
        assert status.status is DeclarationStatus.UNKNOWN

    def test_label_falls_with_its_declaration_and_its_attestation(self, tanji: Any) -> None:
        client = tanji.client
        revoked, superseded, successor = anchored_refs(tanji, 3)
        now = block_time(tanji)
        for index, ref in enumerate((revoked, superseded, successor)):
            client.attest(ref, 2, 1, keccak(b"report"), sender=tanji.auditor)
            client.issue_label(
                keccak(bytes([index])),
                keccak(b"p"),
                ref,
                b"B",
                (now - 9, now + 9_999),
                0,
                TERMS,
                sender=tanji.certifier,
            )
        client.revoke_declaration(
            revoked.root, revoked.digest, revoked.declarant, list(revoked.proof), 3, sender=tanji.supplier
        )
        consent = sign_supersession(client.signing_domain, superseded.digest, successor.digest, tanji.supplier.key)
        client.supersede_with_consent(superseded, successor, consent, sender=tanji.chain.operator)
        client.withdraw_attestation(successor.digest, 0, 3, sender=tanji.auditor)
        assert [client.label_status(keccak(bytes([i]))) for i in range(3)] == [
            LabelStatus.DECLARATION_REVOKED,
            LabelStatus.DECLARATION_SUPERSEDED,
            LabelStatus.ATTESTATION_WITHDRAWN,
        ]
        assert ChainAdapter(client).labels(revoked.digest)[0]["status"] == "declaration_revoked"

    def test_certifier_cannot_label_an_unanchored_or_revoked_declaration(self, tanji: Any) -> None:
        client = tanji.client
        (ref,) = anchored_refs(tanji, 1)
        client.attest(ref, 1, 1, keccak(b"report"), sender=tanji.auditor)
        now, serial = block_time(tanji), keccak(b"CN-X")
        forged = DeclarationRef(keccak(b"forged root"), ref.digest, ref.declarant, ref.proof)
        with pytest.raises(ContractReverted) as excinfo:
            client.issue_label(serial, keccak(b"p"), forged, b"A", (now, now + 99), 0, TERMS, sender=tanji.certifier)
        reverted(excinfo, "TanjiUnknownRoot", root=forged.root)
        client.revoke_declaration(ref.root, ref.digest, ref.declarant, list(ref.proof), 1, sender=tanji.regulator)
        with pytest.raises(ContractReverted) as excinfo:
            client.issue_label(serial, keccak(b"p"), ref, b"A", (now, now + 99), 0, TERMS, sender=tanji.certifier)
        reverted(excinfo, "TanjiDeclarationNotCurrent", digest=ref.digest, status=2)
        assert client.label_status(serial) is LabelStatus.UNKNOWN

    def test_auditor_cannot_attest_its_own_organizations_declaration(self, tanji: Any) -> None:
        client = tanji.client
        (ref,) = anchored_refs(tanji, 1)
        client.grant_role("acme", "auditor", sender=tanji.chain.operator)
        with pytest.raises(ContractReverted) as excinfo:
            client.attest(ref, 1, 2, keccak(b"report"), sender=tanji.supplier)
        reverted(excinfo, "TanjiSelfAttestation", orgId=org_id("acme"), declarant=tanji.supplier.address)
        assert client.attestation_count(ref.digest) == 0
