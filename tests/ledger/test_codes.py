"""ledger.codes mirrors the contracts: enum members and order, role ids, reason codes, every custom error's kind."""

from __future__ import annotations

import json
import re
from enum import Enum
from pathlib import Path

import pytest
from eth_hash.auto import keccak

from ledger import codes

ROOT = Path(__file__).resolve().parents[2]
SOURCES = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "contracts").rglob("*.sol")))
ARTIFACTS = [
    json.loads(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "chain_tools" / "artifacts").glob("*.json"))
]


def solidity_enum(interface: str, name: str) -> list[str]:
    """Members of `enum name` declared in contracts/interfaces/`interface`.sol, in order."""
    text = (ROOT / "contracts" / "interfaces" / f"{interface}.sol").read_text(encoding="utf-8")
    body = re.search(rf"enum {name}\s*\{{([^}}]*)\}}", text)
    assert body, f"no enum {name} in {interface}.sol"
    return [member.strip() for member in body.group(1).split(",") if member.strip()]


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).upper()


@pytest.mark.parametrize(
    ("interface", "solidity_name", "python_enum"),
    [
        ("ITanjiDeclarations", "Status", codes.DeclarationStatus),
        ("ITanjiAttestations", "Result", codes.AttestationResult),
        ("ITanjiAttestations", "Assurance", codes.Assurance),
        ("ITanjiLabels", "State", codes.LabelState),
        ("ITanjiLabels", "Status", codes.LabelStatus),
    ],
)
def test_python_enums_match_the_solidity_enums_member_for_member(
    interface: str, solidity_name: str, python_enum: type[Enum]
) -> None:
    members = solidity_enum(interface, solidity_name)
    assert [snake(m) for m in members] == [m.name for m in python_enum]
    assert [m.value for m in python_enum] == list(range(len(members)))
    internal = f"enum {interface}.{solidity_name}"
    used = {
        item.get("internalType")
        for artifact in ARTIFACTS
        for entry in artifact["abi"]
        for item in [*entry.get("inputs", []), *entry.get("outputs", [])]
    }
    used |= {
        component.get("internalType")
        for artifact in ARTIFACTS
        for entry in artifact["abi"]
        for item in [*entry.get("inputs", []), *entry.get("outputs", [])]
        for component in item.get("components", [])
    }
    assert internal in used, f"the ABI no longer uses {internal}: rename the Python enum with it"


def test_role_ids_are_the_contracts_role_constants() -> None:
    declared = dict(re.findall(r'bytes32 internal constant (\w+) = keccak256\("(\w+)"\)', SOURCES))
    assert {name: keccak(text.encode()) for name, text in declared.items()} == {
        role.name: role.value for role in codes.Role if role is not codes.Role.ADMIN
    }
    assert codes.Role.ADMIN.value == bytes(32)


def test_reason_codes_cover_exactly_one_to_the_contracts_maximum() -> None:
    maxima = {int(m) for m in re.findall(r"uint8 public constant MAX_REASON_CODE = (\d+);", SOURCES)}
    assert maxima == {max(codes.Reason)}
    assert [r.value for r in codes.Reason] == list(range(1, max(codes.Reason) + 1))


def test_every_custom_error_in_the_abi_has_a_kind() -> None:
    errors = {entry["name"] for artifact in ARTIFACTS for entry in artifact["abi"] if entry["type"] == "error"}
    missing = sorted(name for name in errors if name not in codes.CONTRACT_ERROR_KINDS)
    assert not missing, f"add these contract errors to ledger.codes.CONTRACT_ERROR_KINDS: {missing}"
    assert set(codes.CONTRACT_ERROR_KINDS.values()) == {"invalid", "not-found", "conflict", "not-allowed"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("supplier", codes.Role.SUPPLIER),
        ("chain-leader", codes.Role.CHAIN_LEADER),
        ("CHAIN_LEADER", codes.Role.CHAIN_LEADER),
    ],
)
def test_roles_are_found_by_their_cli_names(text: str, expected: codes.Role) -> None:
    assert codes.Role.from_name(text) is expected


def test_unknown_role_and_reason_names_list_the_choices() -> None:
    from ledger.errors import UnknownReasonError, UnknownRoleError

    with pytest.raises(UnknownRoleError, match="chain-leader"):
        codes.Role.from_name("emperor")
    with pytest.raises(UnknownReasonError, match=r"data-error \(1\)"):
        codes.Reason.from_name("7")
    assert codes.Reason.from_name("3") is codes.Reason.MISSTATEMENT is codes.Reason.from_name("misstatement")
