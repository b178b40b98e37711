"""CBAM data rides in the Tanji extension; declarations without it stay valid."""

from __future__ import annotations

from decimal import Decimal

import pytest
from factories import make_payload, new_account

from ledger.declarations.extension import CbamData
from ledger.declarations.extension_parse import parse_extension
from ledger.graph.model import DeclaredProduct
from ledger.pact.validate import PactValidationError


def with_cbam(cbam: object) -> dict[str, object]:
    payload = make_payload(new_account().address)
    payload["extensions"][0]["data"]["cbam"] = cbam
    return payload


def test_a_declaration_without_cbam_data_still_parses() -> None:
    assert parse_extension(make_payload(new_account().address)).cbam is None


def test_cbam_data_is_parsed_and_reaches_the_roll_up_node() -> None:
    payload = with_cbam({"cnCode": "7208 39 00", "origin": "CN", "directEmissions": "1.85", "indirectEmissions": "0.3"})
    expected = CbamData(cn_code="72083900", origin="CN", direct=Decimal("1.85"), indirect=Decimal("0.3"))
    assert parse_extension(payload).cbam == expected
    assert DeclaredProduct.from_payload(payload, digest="0x" + "00" * 32).cbam == expected


@pytest.mark.parametrize(
    ("cbam", "pointer", "message"),
    [
        (
            {"cnCode": "72A8", "origin": "CN", "directEmissions": "1", "indirectEmissions": "0"},
            "/cbam/cnCode",
            "CN code",
        ),
        (
            {"cnCode": "72083900", "origin": "cn", "directEmissions": "1", "indirectEmissions": "0"},
            "/cbam/origin",
            "ISO",
        ),
        (
            {"cnCode": "72083900", "origin": "CN", "directEmissions": "-1", "indirectEmissions": "0"},
            "directEmissions",
            "0 or",
        ),
        ({"cnCode": "72083900", "origin": "CN", "directEmissions": "1"}, "/cbam/indirectEmissions", "is required"),
        ("steel", "/cbam", "must be an object"),
    ],
)
def test_bad_cbam_data_is_refused_with_its_pointer(cbam: object, pointer: str, message: str) -> None:
    with pytest.raises(PactValidationError) as caught:
        parse_extension(with_cbam(cbam))
    assert any(pointer in v.path and message in v.message for v in caught.value.violations), caught.value.violations
