"""Relayed member-signed transactions: the allow-list matches the contracts, a member's own wallet revokes, an auditor
attests, a certifier labels (and records the terms it committed to), a member accepts a key the operator proposed;
everything else is refused, nothing sent."""

from __future__ import annotations

import dataclasses
import time
from decimal import Decimal
from typing import Any

import pytest
from eth_account import Account
from eth_hash.auto import keccak
from eth_utils import function_abi_to_4byte_selector

from chain_tools.artifacts import load_artifact
from ledger.labels.terms import LabelKind, LabelTerms
from ledger.organizations import org_id
from ledger.transactions import RELAYABLE, SELECTORS


def test_the_allow_list_names_functions_of_the_compiled_contracts() -> None:
    artifacts = {"ledger": "TanjiLedger", "attestations": "TanjiAttestations", "labels": "TanjiLabels"}
    for contract, signatures in RELAYABLE.items():
        abi = load_artifact(artifacts[contract])["abi"]
        compiled = {
            function_abi_to_4byte_selector(item): item["name"] for item in abi if item.get("type") == "function"
        }
        for signature in signatures:
            name = signature.split("(")[0]
            found = [sel for sel, (role, fn) in SELECTORS.items() if fn == name and role == contract]
            assert len(found) == 1 and compiled.get(found[0]) == name, signature


def anchored(world: Any, client: Any, org: str, product: str) -> dict[str, Any]:
    """A new declaration of `org`, anchored; its public facts."""
    declaration_id = world.submit_and_anchor(world.sign(org, product))
    body: dict[str, Any] = client.get(f"/v1/declarations/{declaration_id}").json()
    return body


def leaf(facts: dict[str, Any]) -> tuple[Any, ...]:
    anchor = facts["anchor"]
    return (anchor["root"], facts["digest"], facts["declarant"], anchor["proof"])


def relay(client: Any, world: Any, org: str, raw: str) -> Any:
    return client.post("/v1/transactions", json={"rawTransaction": raw}, headers=world.headers(org))


def test_params_give_the_wallet_nonce_chain_and_contracts(v1_world: Any, v1_client: Any) -> None:
    address = v1_world.keys["acme"].address
    body = v1_client.get(f"/v1/transactions/params?address={address}", headers=v1_world.headers("acme")).json()
    anchors = v1_world.runtime.chain.trust_anchors
    assert body["chainId"] == anchors.chain_id and body["contracts"]["ledger"] == anchors.ledger
    assert body["nonce"] == v1_world.runtime.chain.transaction_params(address).nonce
    assert "revokeDeclaration(bytes32,bytes32,address,bytes32[],uint8)" in body["relayable"]["ledger"]
    assert body["gasLimit"] > 0 and (body["gasPrice"] or body["maxFeePerGas"])


def test_a_declarant_revokes_its_declaration_with_its_own_wallet(
    v1_world: Any, v1_client: Any, v1_sign_tx: Any
) -> None:
    facts = anchored(v1_world, v1_client, "acme", "urn:tanji:acme:revoked")
    raw = v1_sign_tx(v1_world.keys["acme"], "ledger", "revokeDeclaration", [*leaf(facts), 1])
    response = relay(v1_client, v1_world, "acme", raw)
    assert response.status_code == 200, response.text
    done = response.json()
    assert (done["function"], done["contract"], done["organization"]) == ("revokeDeclaration", "ledger", "acme")
    assert done["sender"] == v1_world.keys["acme"].address
    after = v1_client.get(f"/v1/declarations/{facts['id']}").json()
    assert after["chainStatus"]["status"] == "revoked" and after["chainStatus"]["reason"] == 1


def test_another_organization_cannot_revoke_and_the_contract_says_why(
    v1_world: Any, v1_client: Any, v1_sign_tx: Any
) -> None:
    facts = anchored(v1_world, v1_client, "acme", "urn:tanji:acme:kept")
    raw = v1_sign_tx(v1_world.keys["rival"], "ledger", "revokeDeclaration", [*leaf(facts), 1])
    response = relay(v1_client, v1_world, "rival", raw)
    assert response.status_code == 403, response.text
    assert response.json()["code"] == "AccessDenied" and "Tanji" in response.json()["message"]
    assert v1_client.get(f"/v1/declarations/{facts['id']}").json()["chainStatus"]["status"] == "anchored"


def test_a_key_of_another_organization_is_refused_before_anything_is_sent(
    v1_world: Any, v1_client: Any, v1_sign_tx: Any
) -> None:
    facts = anchored(v1_world, v1_client, "rival", "urn:tanji:rival:other-key")
    rival = v1_world.keys["rival"]
    nonce = v1_world.runtime.chain.transaction_params(rival.address).nonce
    raw = v1_sign_tx(rival, "ledger", "revokeDeclaration", [*leaf(facts), 1])
    response = relay(v1_client, v1_world, "acme", raw)  # acme's token, rival's key
    assert response.status_code == 403 and "not an active key of organization 'acme'" in response.json()["message"]
    assert v1_world.runtime.chain.transaction_params(rival.address).nonce == nonce  # nothing was sent


@pytest.mark.parametrize(
    ("case", "status", "words"),
    [
        ("chain", 403, "signed for chain"),
        ("contract", 403, "not to one of this deployment's contracts"),
        ("selector", 403, "is not relayed"),
        ("value", 403, "carry no value"),
        ("nonce", 409, "the next nonce"),
    ],
)
def test_transactions_outside_the_rules_are_refused(
    v1_world: Any, v1_client: Any, v1_sign_tx: Any, case: str, status: int, words: str
) -> None:
    acme = v1_world.keys["acme"]
    args = [org_id("acme"), Account.create().address]
    overrides: dict[str, Any] = {
        "chain": {"chainId": 5},
        "contract": {"to": Account.create().address},
        "value": {"value": 1},
        "nonce": {"nonce": 10_000},
    }.get(case, {})
    function = "registerMember" if case == "selector" else "addKey"
    if case == "selector":
        args = [org_id("x-org"), "x", Account.create().address, []]
    raw = v1_sign_tx(acme, "ledger", function, args, **overrides)
    response = relay(v1_client, v1_world, "acme", raw)
    assert response.status_code == status, response.text
    assert words in response.json()["message"]


@pytest.mark.parametrize(
    ("raw", "words"), [("0x00", "transaction type 0"), ("0xc0", "9 fields"), ("0x02c3010203", "12 fields"), ("0x1", "")]
)
def test_bytes_that_are_no_signed_transaction_are_400_class(
    v1_world: Any, v1_client: Any, raw: str, words: str
) -> None:
    response = relay(v1_client, v1_world, "acme", raw)
    assert response.status_code in (400, 422), response.text
    assert words in response.json()["message"]


def test_an_auditor_attests_and_a_certifier_labels_through_the_relay(
    v1_world: Any, v1_client: Any, v1_sign_tx: Any
) -> None:
    product = "urn:tanji:acme:labelled"
    facts = anchored(v1_world, v1_client, "acme", product)
    attest = v1_sign_tx(v1_world.keys["audit"], "attestations", "attest", [leaf(facts), 1, 1, keccak(b"report")])
    assert relay(v1_client, v1_world, "audit", attest).status_code == 200
    listed = v1_client.get(f"/v1/declarations/{facts['id']}/attestations").json()["items"]
    assert [(item["result"], item["assurance"], item["withdrawnAtBlock"]) for item in listed] == [
        ("verified", "limited", 0)
    ]
    now = int(time.time())
    args = [
        keccak(b"CN-LABEL-7"),
        keccak(product.encode()),
        leaf(facts),
        b"A".ljust(16, b"\0"),
        now - 3600,
        now + 86_400 * 365,
        0,
        keccak(b"label terms"),
    ]
    issue = v1_sign_tx(v1_world.keys["cert"], "labels", "issueLabel", args)
    response = relay(v1_client, v1_world, "cert", issue)
    assert response.status_code == 200, response.text
    label = v1_client.get("/v1/labels/CN-LABEL-7").json()
    assert label["status"] == "valid" and label["declaration"]["id"] == facts["id"]
    status = v1_client.get("/v1/labels/CN-LABEL-7/status").json()
    assert (status["valid"], status["reason"], status["termsHash"]) == (True, None, "0x" + keccak(b"label terms").hex())
    assert status["termsVerified"] is False and status["anchor"]["root"].startswith("0x")  # relayed: terms not held
    qr = v1_client.get("/v1/labels/CN-LABEL-7/qr.svg")
    assert qr.headers["content-type"] == "image/svg+xml" and qr.content.startswith(b"<?xml")
    png = v1_client.get("/v1/labels/CN-LABEL-7/qr.png")
    assert png.headers["content-type"] == "image/png" and png.content.startswith(b"\x89PNG")
    assert v1_client.get("/v1/labels/NEVER-ISSUED").json()["status"] == "unknown"


def test_a_member_accepts_a_key_the_operator_proposed(v1_world: Any, v1_client: Any, v1_sign_tx: Any) -> None:
    new_key = Account.create().address
    proposed = v1_client.post(
        "/v1/organizations/acme/keys", json={"address": new_key}, headers=v1_world.headers("operator")
    )
    assert proposed.status_code == 201, proposed.text
    keys = {key["address"] for key in v1_client.get("/v1/organizations/acme").json()["keys"]}
    assert new_key not in keys  # proposed, not yet a key
    accept = v1_sign_tx(v1_world.keys["acme"], "ledger", "acceptKey", [org_id("acme"), new_key])
    assert relay(v1_client, v1_world, "acme", accept).status_code == 200
    keys = {key["address"] for key in v1_client.get("/v1/organizations/acme").json()["keys"]}
    assert new_key in keys


def test_a_declarant_supersedes_with_its_own_wallet_and_versions_follow_the_chain(
    v1_world: Any, v1_client: Any, v1_sign_tx: Any
) -> None:
    older = anchored(v1_world, v1_client, "acme", "urn:tanji:acme:beam")
    newer = anchored(v1_world, v1_client, "acme", "urn:tanji:acme:beam")  # not naming the older one in precedingPfIds
    raw = v1_sign_tx(v1_world.keys["acme"], "ledger", "supersedeDeclaration", [*leaf(older), newer["digest"]])
    assert relay(v1_client, v1_world, "acme", raw).status_code == 200
    status = v1_client.get(f"/v1/declarations/{older['id']}").json()["chainStatus"]
    assert status["status"] == "superseded" and status["successorDigest"] == newer["digest"]
    versions = v1_client.get(f"/v1/declarations/{older['id']}/versions").json()
    assert [item["id"] for item in versions["successors"]] == [newer["id"]]


@pytest.mark.parametrize("kind", ["legacy", "access-list", "dynamic-fee"])
def test_every_transaction_type_decodes_to_its_sender_and_call(v1_world: Any, kind: str) -> None:
    from ledger.transactions import decode_raw_transaction

    account = Account.create()
    fields: dict[str, Any] = {"to": v1_world.runtime.chain.trust_anchors.ledger, "data": "0x20a78a7b", "value": 0}
    fields |= {"nonce": 3, "gas": 100_000, "chainId": 31337}
    if kind == "dynamic-fee":
        fields |= {"maxFeePerGas": 2, "maxPriorityFeePerGas": 1}
    else:
        fields["gasPrice"] = 1
    if kind == "access-list":
        fields["accessList"] = [{"address": fields["to"], "storageKeys": ["0x" + "00" * 32]}]
    tx = decode_raw_transaction(bytes(Account.sign_transaction(fields, account.key).raw_transaction))
    assert (tx.sender, tx.to, tx.nonce, tx.chain_id, tx.gas) == (account.address, fields["to"], 3, 31337, 100_000)
    assert (
        tx.data == bytes.fromhex("20a78a7b") and tx.tx_type == {"legacy": 0, "access-list": 1, "dynamic-fee": 2}[kind]
    )


def test_a_transaction_the_node_refuses_is_the_signers_to_fix(v1_world: Any, v1_client: Any, v1_sign_tx: Any) -> None:
    raw = v1_sign_tx(v1_world.keys["acme"], "ledger", "addKey", [org_id("acme"), Account.create().address], gas=10**9)
    response = relay(v1_client, v1_world, "acme", raw)
    assert response.status_code == 422, response.text
    assert "the chain refused the transaction" in response.json()["message"]


RELAYED_PRODUCT = "urn:tanji:acme:relayed-label"


def terms_for(facts: dict[str, Any], serial: str, value: str, now: int) -> LabelTerms:
    def iso(epoch: int) -> str:
        return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(epoch))

    return LabelTerms(
        serial=serial,
        kind=LabelKind.CARBON_FOOTPRINT,
        scheme="national-2025",
        filing_number="CNCA-CFL-2026-0007",
        value=Decimal(value),
        declared_unit="kilogram",
        product_id=RELAYED_PRODUCT,
        declaration_id=facts["id"],
        declaration_digest=facts["digest"],
        valid_from=iso(now - 3600),
        valid_until=iso(now + 86_400 * 365),
    )


def issue_relayed(world: Any, client: Any, sign_tx: Any, facts: dict[str, Any], terms: LabelTerms, now: int) -> None:
    args = [
        keccak(terms.serial.encode()),
        keccak(terms.product_id.encode()),
        leaf(facts),
        b"".ljust(16, b"\0"),
        now - 3600,
        now + 86_400 * 365,
        0,
        terms.terms_hash(),
    ]
    response = relay(client, world, "cert", sign_tx(world.keys["cert"], "labels", "issueLabel", args))
    assert response.status_code == 200, response.text


def test_terms_of_a_relayed_label_are_recorded_only_when_they_match_the_chain(
    v1_world: Any, v1_client: Any, v1_sign_tx: Any
) -> None:
    facts = anchored(v1_world, v1_client, "acme", RELAYED_PRODUCT)
    attest = v1_sign_tx(v1_world.keys["audit"], "attestations", "attest", [leaf(facts), 1, 1, keccak(b"report")])
    assert relay(v1_client, v1_world, "audit", attest).status_code == 200
    now = int(time.time())
    honest = terms_for(facts, "CN-RELAY-1", "2.08", now)
    issue_relayed(v1_world, v1_client, v1_sign_tx, facts, honest, now)
    path, cert = "/v1/labels/CN-RELAY-1/terms", v1_world.headers("cert")
    assert v1_client.get("/v1/labels/CN-RELAY-1/status").json()["termsVerified"] is False
    tampered = dataclasses.replace(honest, value=Decimal("1.08")).document()
    refused = v1_client.put(path, json=tampered, headers=cert)
    assert refused.status_code == 422 and "send exactly the terms the certifier signed" in refused.json()["message"]
    assert v1_client.put(path, json=honest.document(), headers=v1_world.headers("acme")).status_code == 403
    stored = v1_client.put(path, json=honest.document(), headers=cert)
    assert stored.status_code == 200, stored.text
    status = stored.json()
    assert (status["valid"], status["termsVerified"], status["value"], status["unit"]) == (
        True,
        True,
        "2.08",
        "kgCO2e/kilogram",
    )
    # a certifier that committed on chain to a value other than the declaration's cannot get it shown as certified
    inflated = terms_for(facts, "CN-RELAY-2", "1.5", now)
    issue_relayed(v1_world, v1_client, v1_sign_tx, facts, inflated, now)
    wrong = v1_client.put("/v1/labels/CN-RELAY-2/terms", json=inflated.document(), headers=cert)
    assert wrong.status_code == 422 and "certified value 1.5" in wrong.json()["message"]
    assert v1_client.get("/v1/labels/CN-RELAY-2/status").json()["termsVerified"] is False
