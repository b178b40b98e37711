"""A dishonest supplier's look-alike identifiers: ids that read the same but are different strings.

Product ids, the declarant organization, organization handles, member registration and wallet names are refused
when they hold control, zero-width or bidirectional characters, compatibility forms or Latin/Cyrillic/Greek
look-alikes, with the offending character's index and code point; equivalent spellings are NFC-normalized.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from eth_account import Account
from factories import make_payload

from ledger.declarations.envelope import open_envelope, sign_declaration
from ledger.declarations.extension_parse import parse_extension, with_declarant
from ledger.errors import InvalidOrganizationError, InvalidWalletError, PactValidationError
from ledger.identifiers import identifier_problem
from ledger.organizations import org_handle, org_id
from ledger.service.members import register_member
from ledger.signing import SigningDomain
from ledger.wallets import create_wallet

DOMAIN = SigningDomain(31337, "0x" + "11" * 20)
ACCOUNT = Account.create()


def payload_with(product: str | None = None, *, bom_product: str | None = None, org: str = "acme") -> dict[str, Any]:
    bom = [{"productId": bom_product, "quantity": "1", "unit": "kilogram"}] if bom_product else None
    return make_payload(ACCOUNT.address, org=org, product=product, bom=bom)


def violations(payload: dict[str, Any]) -> str:
    with pytest.raises(PactValidationError) as caught:
        parse_extension(payload)
    return str(caught.value)


def test_cyrillic_lookalike_in_a_product_id_is_refused_with_its_position() -> None:
    forged = "urn:tanji:\u0430cme:coil"  # Cyrillic а in "acme"
    message = violations(payload_with(forged))
    assert "/productIds/0" in message and "index 10 (U+0430 CYRILLIC SMALL LETTER A)" in message


def test_signed_envelope_with_a_lookalike_product_id_does_not_open(monkeypatch: pytest.MonkeyPatch) -> None:
    payload = payload_with("urn:tanji:acme:c\u03bfil")  # Greek omicron in "coil"
    with pytest.raises(PactValidationError, match=r"U\+03BF GREEK SMALL LETTER OMICRON"):
        sign_declaration(payload, domain=DOMAIN, private_key=ACCOUNT.key, declarant=ACCOUNT.address)
    with monkeypatch.context() as forger:  # a forger signs with a tool of their own that skips the check
        forger.setattr("ledger.declarations.extension_parse.identifier_violations", lambda payload: [])
        envelope = sign_declaration(payload, domain=DOMAIN, private_key=ACCOUNT.key, declarant=ACCOUNT.address)
    with pytest.raises(PactValidationError, match=r"/productIds/0: .*\(U\+03BF GREEK SMALL LETTER OMICRON"):
        open_envelope(json.dumps(envelope))


def test_whole_word_of_cyrillic_lookalikes_is_refused() -> None:
    assert "reads as 'ace'" in violations(payload_with("urn:tanji:\u0430\u0441\u0435:coil"))


@pytest.mark.parametrize(
    ("character", "kind"),
    [
        ("\u200b", "invisible (zero-width)"),
        ("\u200d", "invisible (zero-width)"),
        ("\u202e", "bidirectional control"),
        ("\u2066", "bidirectional control"),
        ("\x07", "control character"),
        ("\u00a0", "space look-alike"),
        ("\uff41", "compatibility form"),
    ],
    ids=lambda value: f"U+{ord(value):04X}" if len(value) == 1 else value,
)
def test_invisible_or_control_character_in_a_bom_product_id_is_refused(character: str, kind: str) -> None:
    product = f"urn:tanji:acme:{character}slab"
    message = violations(payload_with(bom_product=product))
    assert "/billOfMaterials/0/productId" in message and kind in message
    assert f"index 15 (U+{ord(character):04X}" in message


def test_chinese_and_other_scripts_next_to_latin_stay_allowed() -> None:
    for product in (
        "urn:tanji:宝钢:热轧卷",
        "urn:tanji:acme:PE管材",
        "urn:tanji:acme:стальной-лист",
        "urn:gtin:4012345",
    ):
        assert identifier_problem(product) is None, product
    parse_extension(payload_with("urn:tanji:宝钢:热轧卷", bom_product="urn:tanji:鞍钢:铁水", org="宝钢"))


def test_decomposed_product_id_is_refused_and_signing_normalizes_it_to_nfc() -> None:
    decomposed = "urn:tanji:acme:cafe\u0301"
    assert "not in Unicode NFC" in violations(payload_with(decomposed))
    normalized = with_declarant(payload_with(decomposed), None, ACCOUNT.address)
    assert normalized["productIds"] == [unicodedata.normalize("NFC", decomposed)]
    parse_extension(normalized)


def test_declarant_org_with_a_bidi_override_is_refused() -> None:
    message = violations(payload_with(org="acme\u202elaets"))
    assert "/declarant/org" in message and "U+202E RIGHT-TO-LEFT OVERRIDE" in message


def test_organization_handles_are_nfc_normalized_before_hashing() -> None:
    assert org_id("Cafe\u0301 Steel") == org_id("Caf\u00e9 Steel") == org_id("  Caf\u00e9 Steel ")
    assert org_handle("Cafe\u0301 Steel") == "Caf\u00e9 Steel"


@pytest.mark.parametrize(
    ("handle", "shown"),
    [("\u0430cme", "index 0 (U+0430"), ("acme\u200b", "index 4 (U+200B"), ("ac\u0391me", "index 2 (U+0391")],
)
def test_lookalike_organization_handle_is_refused(handle: str, shown: str) -> None:
    with pytest.raises(InvalidOrganizationError, match=re.escape(shown)):
        org_id(handle)


class RefusingChain:
    """A chain that fails the test if registration reaches it."""

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"the chain was called ({name}) for a refused registration")


def test_member_registration_of_a_lookalike_organization_never_reaches_the_chain() -> None:
    with pytest.raises(InvalidOrganizationError, match=r"U\+0430 CYRILLIC SMALL LETTER A"):
        register_member(RefusingChain(), "\u0430cme-steel", ACCOUNT.address, ["supplier"], ACCOUNT)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "shown"), [("acme\n", "index 4 (U+000A)"), ("\u0430cme", "index 0 (U+0430"), ("ac\u200bme", "U+200B")]
)
def test_wallet_name_with_control_or_lookalike_character_is_refused(tmp_path: Path, name: str, shown: str) -> None:
    with pytest.raises(InvalidWalletError, match=re.escape(shown)):
        create_wallet(tmp_path, name, "long enough password")
    assert list(tmp_path.iterdir()) == []
