"""Attacks on verification: a forger's own deployment on the same chain, a genuine bundle pointed at forged
contracts, relabelled disclosures and malformed bundles."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from eth_account import Account
from factories import make_payload

from chain_tools.deploy import deploy_tanji
from chain_tools.tanji_chain import TanjiChain
from ledger.chain_port import TrustAnchors
from ledger.declarations.envelope import sign_declaration
from ledger.errors import InvalidTrustAnchorsError
from ledger.merkle import MerkleTree, declaration_leaf
from ledger.service.bundle import BUNDLE_TYPE, export_proof, verify_bundle
from ledger.signing import SigningDomain


def anchored_bundle(env: Any, reveal: list[str] | None = None) -> dict[str, Any]:
    declaration = env.submit()
    env.flush()
    with env.sessions() as session:
        _, bundle = export_proof(session, env.keyring, declaration.id, env.chain.trust_anchors, reveal=reveal)
    return bundle


def forged_bundle(env: Any) -> dict[str, Any]:
    """A forger deploys its own Tanji on the same chain, registers a namesake 'acme' and anchors a declaration."""
    chain = env.tanji.chain
    forger = Account.create()
    chain.fund(forger.address, 10**19)
    deployment = deploy_tanji(chain.gateway, operator=forger)
    forged = TanjiChain(chain.gateway, deployment)
    namesake = Account.create()
    forged.register_member("acme", namesake.address, ["supplier"], sender=forger)
    domain = SigningDomain(deployment.chain_id, deployment.ledger)
    envelope = sign_declaration(
        make_payload(namesake.address, pcf="0.10"), domain=domain, private_key=namesake.key, declarant=namesake.address
    )
    leaf = declaration_leaf(bytes.fromhex(envelope["digest"][2:]), namesake.address)
    tree = MerkleTree.build([leaf])
    forged.anchor_batch(tree.root, 1, "", sender=forger)
    anchors = TrustAnchors(deployment.chain_id, deployment.ledger, deployment.attestations, deployment.labels)
    return {
        "type": BUNDLE_TYPE,
        "chain": anchors.as_dict(),
        "declarationId": envelope["payload"]["id"],
        "digest": envelope["digest"],
        "anchor": {"root": "0x" + tree.root.hex(), "proof": ["0x" + p.hex() for p in tree.proof_of(leaf)]},
        "envelope": envelope,
    }


def test_a_bundle_of_a_forged_deployment_on_the_same_chain_is_invalid(env: Any) -> None:
    bundle = forged_bundle(env)
    report = verify_bundle(bundle, env.chain, env.chain.trust_anchors)
    assert report.verdict == "INVALID" and report.first_failure.name == "deployment"
    assert "another deployment" in report.first_failure.detail
    bundle["chain"] = env.chain.trust_anchors.as_dict()  # the forger claims the consortium's addresses instead
    report = verify_bundle(bundle, env.chain, env.chain.trust_anchors)
    assert not report.valid and report.first_failure.name == "domain"


def test_a_genuine_bundle_pointed_at_a_forged_attestation_contract_is_invalid(env: Any) -> None:
    bundle = anchored_bundle(env)
    bundle["chain"]["attestations"] = "0x" + "ab" * 20
    report = verify_bundle(bundle, env.chain, env.chain.trust_anchors)
    assert report.first_failure.name == "deployment" and "attestations 0x" + "ab" * 20 in report.first_failure.detail
    assert "attestations" not in report.info  # nothing read from a contract the verifier did not choose


def test_a_disclosure_relabelled_with_another_declaration_id_does_not_show_it(env: Any) -> None:
    bundle = anchored_bundle(env, reveal=["pcfExcludingBiogenicUptake"])
    bundle["declarationId"] = "forged-declaration-id"
    report = verify_bundle(bundle, env.chain, env.chain.trust_anchors)
    assert report.valid and report.declaration_id is None
    assert "forged-declaration-id" not in json.dumps(report.as_dict())


def test_a_disclosure_shows_the_declaration_id_only_when_revealed_and_committed(env: Any) -> None:
    bundle = anchored_bundle(env, reveal=["id", "pcfExcludingBiogenicUptake"])
    genuine = bundle["disclosure"]["revealed"]["/id"]["value"]
    assert verify_bundle(bundle, env.chain, env.chain.trust_anchors).declaration_id == genuine
    bundle["disclosure"]["revealed"]["/id"]["value"] = "forged-declaration-id"
    report = verify_bundle(bundle, env.chain, env.chain.trust_anchors)
    assert report.first_failure.name == "disclosure" and report.declaration_id is None


MUTATIONS = {
    "no anchor": lambda b: b.pop("anchor"),
    "proof not a list": lambda b: b["anchor"].update(proof=7),
    "root not hex": lambda b: b["anchor"].update(root="0xzz"),
    "envelope not an object": lambda b: b.update(envelope=[1, 2]),
    "signature not hex": lambda b: b["envelope"].update(signature="0xnothex"),
    "chain section a string": lambda b: b.update(chain="mainnet"),
    "not a bundle": lambda b: b.update(type="tanji.proof-bundle/9"),
}


@pytest.mark.parametrize("mutation", MUTATIONS, ids=list(MUTATIONS))
def test_a_malformed_bundle_is_invalid_with_the_failing_check(env: Any, mutation: str) -> None:
    bundle = copy.deepcopy(anchored_bundle(env))
    MUTATIONS[mutation](bundle)
    report = verify_bundle(bundle, env.chain, env.chain.trust_anchors)
    assert report.verdict == "INVALID" and report.first_failure is not None
    assert report.first_failure.name in {"bundle", "deployment", "envelope", "anchor"}


def test_a_trust_anchors_file_with_a_bad_field_is_refused_by_name() -> None:
    good = {"type": "tanji.trust-anchors/1", "chainId": 1, "ledger": "0x" + "11" * 20}
    good |= {"attestations": "0x" + "22" * 20, "labels": "0x" + "33" * 20}
    assert TrustAnchors.from_dict(good).chain_id == 1
    for field, value in (("chainId", "1"), ("ledger", "0x12"), ("labels", None)):
        with pytest.raises(InvalidTrustAnchorsError, match=field):
            TrustAnchors.from_dict({**good, field: value})
