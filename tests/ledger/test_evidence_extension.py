"""The optional `evidence` list of the Tanji extension: documents pinned by SHA-256, checked, backward compatible."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from ledger.declarations.extension import EvidenceDocument
from ledger.declarations.extension_parse import parse_extension
from ledger.errors import PactValidationError

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "declarations" / "hot-rolled-coil.json"


def example(evidence: object = None) -> dict:
    payload = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    payload["extensions"][0]["data"]["declarant"]["address"] = "0x" + "11" * 20
    if evidence is not None:
        payload = copy.deepcopy(payload)
        payload["extensions"][0]["data"]["evidence"] = evidence
    return payload


def test_a_declaration_without_evidence_still_parses() -> None:
    assert parse_extension(example()).evidence == ()


def test_evidence_documents_are_read_with_their_hashes() -> None:
    parsed = parse_extension(example([{"name": "meter log.csv", "sha256": "0f" * 32}]))
    assert parsed.evidence == (EvidenceDocument("meter log.csv", "0f" * 32),)


@pytest.mark.parametrize(
    ("item", "pointer"),
    [
        ({"name": "bills.pdf", "sha256": "0x" + "ab" * 32}, "/evidence/0/sha256"),
        ({"name": "bills.pdf", "sha256": "AB" * 32}, "/evidence/0/sha256"),
        ({"sha256": "ab" * 32}, "/evidence/0/name"),
        ({"name": "bills.pdf"}, "/evidence/0/sha256"),
    ],
)
def test_a_malformed_evidence_entry_is_refused_naming_where(item: dict, pointer: str) -> None:
    with pytest.raises(PactValidationError) as raised:
        parse_extension(example([item]))
    assert any(violation.path.endswith(pointer) for violation in raised.value.violations), raised.value
