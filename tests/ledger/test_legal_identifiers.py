"""Unified social credit codes (GB 32100-2015) and LEIs (ISO 17442): check characters, errors, companyIds URNs."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.errors import InvalidLegalIdentifierError
from ledger.legal_identifiers import (
    USCC_ALPHABET,
    legal_identifier,
    lei_check_digits,
    uscc_check_character,
    validate_lei,
    validate_uscc,
)

# published codes: the standard's own example and registered enterprises; LEIs from the GLEIF register
VALID_USCC = ["91350100M000100Y43", "91110000600037341L"]
VALID_LEI = ["5493001KJTIIGC8Y1R12", "529900T8BM49AURSDO55", "7ZW8QJWVPR4P1J1KQY45", "HWUPKR0MPOU8FGXBT394"]


@pytest.mark.parametrize("code", VALID_USCC)
def test_published_credit_codes_are_valid(code: str) -> None:
    assert validate_uscc(code.lower()) == code


@pytest.mark.parametrize("code", VALID_LEI)
def test_published_leis_are_valid(code: str) -> None:
    assert validate_lei(f" {code.lower()} ") == code


def test_check_character_by_hand() -> None:
    # character values 9 1 3 5 0 1 0 0 M=21 0 0 0 1 0 0 Y=30 4, weights 3^i mod 31: the standard's example ends in 3,
    # so the weighted sum must leave 28 modulo 31 (31 - 28 = 3)
    weights = [pow(3, i, 31) for i in range(17)]
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip("91350100M000100Y4", weights, strict=True))
    assert total % 31 == 28
    assert uscc_check_character("91350100M000100Y4") == "3"
    assert lei_check_digits("5493001KJTIIGC8Y1R") == "12"


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("91350100M000100Y44", "fails its check character"),
        ("91350100M000100Y4", "has 17 characters"),
        ("91350100M00010OY43", "contains 'O'"),
        ("913501A0M000100Y43", "administrative division"),
    ],
)
def test_bad_credit_codes_say_what_is_wrong(code: str, words: str) -> None:
    with pytest.raises(InvalidLegalIdentifierError, match=words):
        validate_uscc(code)


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("5493001KJTIIGC8Y1R13", "fails its check digits"),
        ("5493001KJTIIGC8Y1R1", "has 19 characters"),
        ("5493001KJTIIGC8Y1R1A", "check digits"),
        ("5493001KJTIIGC8Y1-12", "only the letters"),
    ],
)
def test_bad_leis_say_what_is_wrong(code: str, words: str) -> None:
    with pytest.raises(InvalidLegalIdentifierError, match=words):
        validate_lei(code)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=17), st.integers(0, 16), st.data())
def test_any_single_character_change_of_a_credit_code_is_caught(body: str, position: int, data: st.DataObject) -> None:
    body = body[:2] + "".join(c if c.isdigit() else "1" for c in body[2:8]) + body[8:]
    code = body + uscc_check_character(body)
    assert validate_uscc(code) == code
    replacement = data.draw(st.sampled_from([c for c in USCC_ALPHABET if c != code[position]]))
    changed = code[:position] + replacement + code[position + 1 :]
    if 2 <= position < 8 and not replacement.isdigit():
        return  # refused for the division code already
    with pytest.raises(InvalidLegalIdentifierError):
        validate_uscc(changed)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=18, max_size=18), st.integers(0, 17))
def test_any_single_character_change_of_an_lei_is_caught(body: str, position: int) -> None:
    code = body + lei_check_digits(body)
    assert validate_lei(code) == code
    if not code[position].isdigit():
        return  # MOD 97-10 catches every change of a digit; a letter stands for two digits
    replacement = "7" if code[position] != "7" else "8"
    with pytest.raises(InvalidLegalIdentifierError):
        validate_lei(code[:position] + replacement + code[position + 1 :])


def test_identifiers_map_to_pact_company_id_urns() -> None:
    assert legal_identifier("LEI", VALID_LEI[0]).urn == "urn:lei:5493001KJTIIGC8Y1R12"
    assert legal_identifier("uscc", VALID_USCC[0]).urn == "urn:uscc:91350100M000100Y43"
    with pytest.raises(InvalidLegalIdentifierError, match="unknown identifier scheme 'duns'"):
        legal_identifier("duns", "123456789")
