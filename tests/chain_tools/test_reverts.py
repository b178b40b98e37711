"""Every custom error of every artifact decodes to its name and arguments; foreign data is reported, not lost."""

from __future__ import annotations

import pytest
from eth_abi import encode
from eth_utils import function_signature_to_4byte_selector

from chain_tools.artifacts import artifact_names, load_artifact
from chain_tools.reverts import decode_revert, error_table, revert_data_from

SAMPLE = {
    "bytes32": b"\x07" * 32,
    "address": "0x" + "ab" * 20,
    "uint8": 3,
    "uint64": 9,
    "uint256": 2**70,
    "bool": True,
    "string": "too long",
}


def every_abi_error() -> list[tuple[str, dict[str, object]]]:
    errors = {}
    for name in artifact_names():
        for item in load_artifact(name)["abi"]:
            if item["type"] == "error":
                errors[item["name"]] = item
    return sorted(errors.items())


@pytest.mark.parametrize(("name", "item"), every_abi_error(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_custom_error_decodes_with_its_arguments(name: str, item: dict[str, object]) -> None:
    inputs = item["inputs"]
    types = [arg["type"] for arg in inputs]  # type: ignore[attr-defined]
    values = [SAMPLE[t] for t in types]
    data = function_signature_to_4byte_selector(f"{name}({','.join(types)})") + encode(types, values)
    decoded = decode_revert(data, context="test")
    assert decoded.name == name
    expected = {
        arg["name"]: (v.lower() if t == "address" else v) for arg, v, t in zip(inputs, values, types, strict=True)
    }  # type: ignore[index]
    got = {k: (v.lower() if isinstance(v, str) else v) for k, v in decoded.arguments.items()}
    assert got == expected
    assert name in str(decoded) and "test:" in str(decoded)


def test_the_error_table_covers_the_membership_errors_raised_through_other_contracts() -> None:
    names = {entry[0] for entry in error_table().values()}
    assert {"TanjiNotMember", "TanjiMemberSuspended", "TanjiKeyRetired", "TanjiMissingRole"} <= names
    assert {"InvalidAccountNonce", "ECDSAInvalidSignature"} <= names


def test_require_strings_panics_and_unknown_selectors_are_reported() -> None:
    message = decode_revert(bytes.fromhex("08c379a0") + encode(["string"], ["boom"]))
    assert (message.name, message.arguments) == ("Error", {"message": "boom"})
    panic = decode_revert(bytes.fromhex("4e487b71") + encode(["uint256"], [0x11]))
    assert (panic.name, panic.arguments) == ("Panic", {"code": 0x11})
    unknown = decode_revert(b"\xde\xad\xbe\xef")
    assert unknown.name == "Unknown" and unknown.data == b"\xde\xad\xbe\xef"


def test_eth_tester_text_reverts_are_turned_back_into_bytes() -> None:
    from eth_tester.exceptions import TransactionFailed

    assert revert_data_from(TransactionFailed("execution reverted: b'k\\xe5>\\x9f'")) == b"k\xe5>\x9f"
    plain = revert_data_from(TransactionFailed("not enough"))
    assert plain is not None and decode_revert(plain).arguments == {"message": "not enough"}
    assert revert_data_from(ValueError("unrelated")) is None
