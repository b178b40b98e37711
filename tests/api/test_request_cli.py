"""`tanji request ...` end to end on a local workspace: a chain leader requests, its supplier forwards one tier
down, both fulfil with their anchored declarations, another supplier rejects; the chain leader's coverage.

ore (ore-co, own 0.1/kg) -> hot-rolled coil (acme-steel: own 0.30, 1.55 kg ore, 0.38 kg coke from a secondary
factor at 0.5/kg) -> part (leader, per piece: own 1.0, 2 kg coil).  part = 1.0 + 2 x (0.30 + 0.155 + 0.19) = 2.29,
of which 1.0 own, 2 x (0.30 + 0.155) = 0.91 supplier-specific, 2 x 0.19 = 0.38 secondary.
"""

from __future__ import annotations

import copy
import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from factories import EXAMPLE

from api.cli.main import main

ORE, COKE = "urn:tanji:ore-co:iron-ore-fines", "urn:tanji:coke-co:metallurgical-coke"
COIL, PART = "urn:tanji:acme-steel:hot-rolled-coil", "urn:tanji:leader:part"
FACTORS = {
    "name": "CLCD",
    "version": "0.8",
    "factors": [{"id": "ef:coke", "productId": COKE, "unit": "kilogram", "values": {"fossil": "0.5"}}],
}
DEADLINE = "2099-01-01T00:00:00Z"


def payload(product: str, own: str, bom: list[tuple[str, str]], *, unit: str = "kilogram") -> dict[str, Any]:
    data = copy.deepcopy(json.loads(EXAMPLE.read_text()))
    data["id"], data["productIds"] = str(uuid.uuid4()), [product]
    data["pcf"]["declaredUnitOfMeasurement"] = unit
    extension = data["extensions"][0]["data"]
    extension.pop("declarant")
    extension["billOfMaterials"] = [{"productId": p, "quantity": q, "unit": "kilogram"} for p, q in bom]
    extension["directEmissions"] = [{"source": "site", "component": "fossil", "amount": own}]
    return data


def build_requests_chain(root: Path, cli: Any) -> None:
    """root/ws: the docstring's chain anchored; root/ids.json: declaration id per organization."""
    h = ("--home", str(root / "ws"))
    cli.ok("init", *h)
    for org, role in (("ore-co", "supplier"), ("acme-steel", "supplier"), ("leader", "chain-leader")):
        cli.add_member_with_wallet(h, org, role)
    files = {
        "ore-co": payload(ORE, "0.1", []),
        "acme-steel": payload(COIL, "0.30", [(ORE, "1.55"), (COKE, "0.38")]),
        "leader": payload(PART, "1.0", [(COIL, "2")], unit="piece"),
    }
    ids = {}
    for org, data in files.items():
        (root / f"{org}.json").write_text(json.dumps(data))
        signed = str(root / f"{org}.signed.json")
        cli.ok("declare", "sign", str(root / f"{org}.json"), "--wallet", org, "--org", org, "-o", signed, *h)
        [result] = cli.json("declare", "submit", signed, "--json", *h)
        ids[org] = result["id"]
    cli.ok("anchor", "flush", *h)
    (root / "factors.json").write_text(json.dumps(FACTORS))
    (root / "ids.json").write_text(json.dumps(ids))


@pytest.fixture
def ws(cli_copy: Any, tmp_path: Path) -> dict[str, Any]:
    cli_copy("requests-chain", build_requests_chain)
    return {
        "h": ("--home", str(tmp_path / "ws")),
        "tmp": tmp_path,
        "ids": json.loads((tmp_path / "ids.json").read_text()),
    }


def tanji_json(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    capsys.readouterr()
    code = main(list(argv))
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return json.loads(captured.out)


def test_request_forward_fulfil_reject_and_coverage_end_to_end(
    ws: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    h, ids = ws["h"], ws["ids"]
    [coil] = tanji_json(
        capsys, "request", "create", "--by", "leader", "--to", "acme-steel", "--product", COIL, "--deadline", DEADLINE,
        "--note", "for the 2026 model", "--json", *h,
    )  # fmt: skip
    [ore] = tanji_json(
        capsys, "request", "forward", coil["id"], "--by", "acme-steel", "--to", "ore-co", "--product", ORE, "--json", *h
    )
    assert (coil["tier"], ore["tier"], ore["parent_id"], ore["leader"]) == (1, 2, coil["id"], "leader")
    [coke] = tanji_json(
        capsys, "request", "create", "--by", "leader", "--to", "ore-co", "--product", COKE, "--deadline", DEADLINE,
        "--json", *h,
    )  # fmt: skip

    # only the organization a request was sent to answers it, and only with its own declaration
    capsys.readouterr()
    assert main(["request", "fulfil", coil["id"], "--by", "ore-co", "--declaration", ids["ore-co"], *h]) == 5
    assert "only it may fulfil" in capsys.readouterr().err
    assert main(["request", "fulfil", coil["id"], "--by", "acme-steel", "--declaration", ids["ore-co"], *h]) == 5
    assert "declared by 'ore-co', not 'acme-steel'" in capsys.readouterr().err

    assert main(["declare", "show", ids["acme-steel"], "--as", "leader", *h]) == 5  # not shared yet
    done = tanji_json(
        capsys, "request", "fulfil", ore["id"], "--by", "ore-co", "--declaration", ids["ore-co"], "--json", *h
    )
    assert done[0]["status"] == "fulfilled" and done[0]["declaration_id"] == ids["ore-co"]
    tanji_json(
        capsys, "request", "fulfil", coil["id"], "--by", "acme-steel", "--declaration", ids["acme-steel"], "--json", *h
    )
    tanji_json(
        capsys, "request", "reject", coke["id"], "--by", "ore-co", "--code", "NotFound", "--message",
        "we do not make coke", "--json", *h,
    )  # fmt: skip
    assert main(["declare", "show", ids["acme-steel"], "--as", "leader", *h]) == 0  # the fulfilment shared it

    outbox = tanji_json(capsys, "request", "list", "--as", "leader", "--outbox", "--json", *h)
    assert {item["status"] for item in outbox} == {"fulfilled", "rejected"} and len(outbox) == 2
    found = tanji_json(
        capsys, "request", "coverage", "--as", "leader", "--factors", str(ws["tmp"] / "factors.json"), "--json", *h
    )
    tier1, tier2 = found["by_tier"]["1"], found["by_tier"]["2"]
    assert (tier1["requested"], tier1["fulfilled"], tier1["rejected"], tier1["open"]) == (2, 1, 1, 0)
    assert (tier2["requested"], tier2["fulfilled"]) == (1, 1)
    assert tier1["rejections"][0]["message"] == "we do not make coke"
    [part] = found["products"]
    assert part["product"] == PART and part["missing"] == []  # coke was requested (and rejected): not missing
    progress = part["progress"]
    assert progress["total"] == pytest.approx(2.29, abs=1e-12)
    assert progress["own_share"] == pytest.approx(1.0 / 2.29)
    assert progress["supplier_specific_share"] == pytest.approx(0.91 / 2.29)
    assert progress["secondary_share"] == pytest.approx(0.38 / 2.29)
    assert progress["attested_share"] == 0.0

    capsys.readouterr()
    assert main(["request", "coverage", "--as", "leader", *h]) == 0
    text = capsys.readouterr().out
    assert "rejected by ore-co: NotFound: we do not make coke" in text
    assert "footprint 1.91 kgCO2e" in text and f"gap: {COKE} of {COIL}" in text  # no factor given this time


def test_a_deadline_without_a_time_zone_is_a_usage_error(
    ws: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "request",
            "create",
            "--by",
            "leader",
            "--to",
            "acme-steel",
            "--product",
            COIL,
            "--deadline",
            "2099-01-01T00:00:00",
            *ws["h"],
        ]
    )
    assert code == 2 and "has no time zone" in capsys.readouterr().err
