"""Attack on selective disclosure: confirming a guessed product id from the signed productIdHash."""

from __future__ import annotations

import json
from typing import Any

from eth_hash.auto import keccak
from factories import make_payload

from ledger.declarations.envelope import ENVELOPE_TYPE_V1, open_envelope, sign_declaration
from ledger.service.bundle import export_proof, verify_bundle
from ledger.signing import SignedDeclarationMessage, sign_message

GUESSES = ["urn:tanji:acme:cold-rolled-coil", "urn:tanji:acme:hot-rolled-coil", "urn:tanji:acme:rebar"]


def disclosure_of(env: Any, declaration_id: str, reveal: list[str]) -> dict[str, Any]:
    with env.sessions() as session:
        return export_proof(session, env.keyring, declaration_id, env.chain.trust_anchors, reveal=reveal)[1]


def test_a_disclosed_number_does_not_confirm_a_guessed_product_id(env: Any) -> None:
    declaration = env.submit()  # product urn:tanji:acme:hot-rolled-coil, among the guesses
    env.flush()
    bundle = disclosure_of(env, declaration.id, ["pcfExcludingBiogenicUptake"])
    signed_hash = bundle["eip712"]["message"]["productIdHash"]
    assert all("0x" + keccak(guess.encode()).hex() != signed_hash for guess in GUESSES)
    assert "urn:tanji:acme" not in json.dumps(bundle)
    assert verify_bundle(bundle, env.chain, env.chain.trust_anchors).valid


def test_a_revealed_product_id_is_checked_against_the_salted_hash(env: Any) -> None:
    declaration = env.submit()
    env.flush()
    report = verify_bundle(disclosure_of(env, declaration.id, ["productIds"]), env.chain, env.chain.trust_anchors)
    assert report.valid and report.info["productIdHash"].startswith("salted")


def v1_envelope(env: Any) -> dict[str, Any]:
    """An envelope as signed before salting: bare keccak productIdHash, type /1."""
    account = env.tanji.supplier
    domain = env.chain.signing_domain
    payload = make_payload(account.address)
    envelope = sign_declaration(payload, domain=domain, private_key=account.key, declarant=account.address)
    fields = {**envelope["eip712"]["message"]}
    message = SignedDeclarationMessage(
        digest=bytes.fromhex(fields["digest"][2:]),
        declarant=fields["declarant"],
        product_id_hash=keccak(envelope["payload"]["productIds"][0].encode()),
        version=int(fields["version"]),
        valid_from=int(fields["validFrom"]),
        valid_until=int(fields["validUntil"]),
        nonce=int(fields["nonce"]),
    )
    envelope["type"] = ENVELOPE_TYPE_V1
    envelope["eip712"]["message"]["productIdHash"] = "0x" + message.product_id_hash.hex()
    envelope["signature"] = "0x" + sign_message(env.chain.signing_domain, message, account.key).hex()
    return envelope


def test_an_unsalted_v1_envelope_still_verifies_and_its_disclosure_says_the_product_id_is_exposed(env: Any) -> None:
    envelope = v1_envelope(env)
    assert open_envelope(envelope).envelope_type == ENVELOPE_TYPE_V1
    result = env.ingest.submit(json.dumps(envelope))
    assert result.status == "pending", result.error
    env.flush()
    assert env.verify(result.id).valid
    bundle = disclosure_of(env, result.id, ["productIds"])
    assert "confirmed by guessing" in bundle["disclosure"]["notice"]
    report = verify_bundle(bundle, env.chain, env.chain.trust_anchors)
    assert report.valid and report.info["productIdHash"].startswith("bare")
