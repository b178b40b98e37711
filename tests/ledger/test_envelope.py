"""Signed envelopes: sign then open round-trips; any change to payload, salt, digest, signature or signed
fields is detected and named; extension problems name the offending value."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from eth_account import Account
from eth_hash.auto import keccak
from factories import make_payload

from ledger.canonical import hex32, unhex32
from ledger.declarations.disclosure import (
    commitment,
    commitments_of,
    declaration_digest,
    digest_of_commitments,
    digest_of_disclosure,
    disclose,
    split_fields,
)
from ledger.declarations.envelope import (
    DigestMismatchError,
    MessageMismatchError,
    PayloadTooLargeError,
    message_fields,
    open_envelope,
    sign_declaration,
)
from ledger.errors import DeclarationError, SignatureMismatchError
from ledger.pact.validate import PactValidationError
from ledger.signing import SigningDomain, signing_hash, signing_hash_reference

DOMAIN = SigningDomain(31337, "0x" + "12" * 20)


@pytest.fixture(scope="module")
def account() -> Any:
    return Account.create()


@pytest.fixture
def envelope(account: Any) -> dict[str, Any]:
    return sign_declaration(
        make_payload(account.address), domain=DOMAIN, private_key=account.key, declarant=account.address, nonce=7
    )


def test_sign_then_open_round_trips(envelope: dict[str, Any], account: Any) -> None:
    opened = open_envelope(json.dumps(envelope))
    assert opened.message.declarant == account.address and opened.message.nonce == 7
    assert "0x" + opened.digest.hex() == envelope["digest"]
    assert opened.extension.declarant_org == "acme" and len(opened.extension.bill_of_materials) == 2
    assert signing_hash(DOMAIN, opened.message) == signing_hash_reference(DOMAIN, opened.message)


@pytest.mark.parametrize(
    ("tamper", "error", "message"),
    [
        (
            lambda e: e["payload"]["pcf"].__setitem__("pcfExcludingBiogenicUptake", "1.99"),
            DigestMismatchError,
            "changed",
        ),
        (lambda e: e["salts"].__setitem__("/id", "0x" + "00" * 32), DigestMismatchError, "changed"),
        (lambda e: e.__setitem__("digest", "0x" + "ab" * 32), DigestMismatchError, "changed"),
        (lambda e: e["eip712"]["message"].__setitem__("version", 2), MessageMismatchError, "version"),
        (
            lambda e: e["eip712"]["message"].__setitem__("validUntil", e["eip712"]["message"]["validUntil"] + 1),
            MessageMismatchError,
            "validUntil",
        ),
        (
            lambda e: e.__setitem__("signature", e["signature"][:-4] + "1b1c"[:2] + e["signature"][-2:]),
            SignatureMismatchError,
            "recovers to",
        ),
        (lambda e: e["eip712"]["domain"].__setitem__("chainId", 1), SignatureMismatchError, "recovers to"),
        (lambda e: e["salts"].pop("/id"), DeclarationError, "salts do not match"),
        (lambda e: e.__setitem__("type", "something"), DeclarationError, "not a Tanji signed declaration"),
    ],
)
def test_tampering_is_detected_and_named(envelope: dict[str, Any], tamper: Any, error: type, message: str) -> None:
    tampered = copy.deepcopy(envelope)
    tamper(tampered)
    with pytest.raises(error, match=message):
        open_envelope(json.dumps(tampered))


def test_a_signature_by_someone_else_is_refused(account: Any) -> None:
    other = Account.create()
    payload = make_payload(account.address)
    with pytest.raises(MessageMismatchError, match="sign with the declarant's own wallet"):
        sign_declaration(payload, domain=DOMAIN, private_key=other.key, declarant=other.address)


def test_oversized_envelopes_are_refused_before_parsing(envelope: dict[str, Any]) -> None:
    with pytest.raises(PayloadTooLargeError, match="limit"):
        open_envelope(json.dumps(envelope), max_bytes=1000)


@pytest.mark.parametrize(
    ("bom", "message"),
    [
        ([{"productId": "urn:x:a", "quantity": "-1", "unit": "kilogram"}], "must be greater than 0"),
        ([{"productId": "urn:x:a", "quantity": "1", "unit": "furlong"}], "unknown unit 'furlong'"),
        ([{"productId": "urn:x:a", "quantity": 1.5, "unit": "kilogram"}], "JSON number"),
        ([{"productId": "urn:tanji:acme:hot-rolled-coil", "quantity": "1", "unit": "kilogram"}], "itself"),
        ([{"productId": "urn:x:a", "quantity": "1", "unit": "kilogram"}] * 2, "duplicate input"),
        ([{"productId": "not-a-urn", "quantity": "1", "unit": "kilogram"}], "not a URN"),
    ],
)
def test_extension_problems_name_the_value(account: Any, bom: list[dict[str, Any]], message: str) -> None:
    with pytest.raises(PactValidationError, match=message):
        sign_declaration(
            make_payload(account.address, bom=bom), domain=DOMAIN, private_key=account.key, declarant=account.address
        )


def test_selective_disclosure_verifies_without_the_hidden_fields(envelope: dict[str, Any]) -> None:
    reveal = ["/productIds", "/pcf/pcfExcludingBiogenicUptake", "/pcf/declaredUnitOfMeasurement"]
    disclosure = disclose(envelope["payload"], envelope["salts"], reveal)
    assert digest_of_disclosure(disclosure) == declaration_digest(envelope["payload"], envelope["salts"])
    text = json.dumps(disclosure)
    assert envelope["payload"]["companyName"] not in text and "Acme" not in text
    assert set(disclosure["revealed"]) == set(reveal)


def test_an_altered_disclosed_value_no_longer_matches(envelope: dict[str, Any]) -> None:
    disclosure = disclose(envelope["payload"], envelope["salts"], ["/pcf/pcfExcludingBiogenicUptake"])
    disclosure["revealed"]["/pcf/pcfExcludingBiogenicUptake"]["value"] = "0.5"
    assert "0x" + digest_of_disclosure(disclosure).hex() != envelope["digest"]


def test_disclosing_an_unknown_field_is_refused(envelope: dict[str, Any]) -> None:
    with pytest.raises(DeclarationError, match="no such field"):
        disclose(envelope["payload"], envelope["salts"], ["/pcf/secretSauce"])


def test_the_digest_of_the_example_with_fixed_salts_is_pinned() -> None:
    """Pinned before the commitments loop was written out: a faster digest must be the same digest."""
    payload = json.loads((Path(__file__).parents[2] / "examples" / "declarations" / "hot-rolled-coil.json").read_text())
    salts = {path: "0x" + bytes([i + 1]).hex() * 32 for i, path in enumerate(split_fields(payload))}
    digest = declaration_digest(payload, salts)
    assert digest.hex() == "f2c60f4a8040a8286edab16be138761c26554fd9f40805d03d578733431ccb16"
    fields = split_fields(payload)
    one_by_one = {path: hex32(commitment(path, fields[path], unhex32(salts[path], what=path))) for path in fields}
    assert commitments_of(fields, salts) == one_by_one
    assert digest_of_commitments(one_by_one) == digest


def test_a_malformed_salt_is_named(envelope: dict[str, Any]) -> None:
    envelope["salts"]["/pcf/dqi"] = "0x" + "zz" * 32
    with pytest.raises(DeclarationError, match="salt of /pcf/dqi"):
        open_envelope(envelope)


def test_the_signed_product_id_hash_is_keccak_of_the_product_id(envelope: dict[str, Any]) -> None:
    product_id_hash, *_ = message_fields(envelope["payload"])
    assert product_id_hash == keccak(envelope["payload"]["productIds"][0].encode("utf-8"))
