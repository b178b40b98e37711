"""Roll-up and audit through the CLI on a three-tier chain with a secondary factor.

ore (acme-ore, own 0.1/kg) and coke (secondary factor 0.5/kg) -> hot-rolled coil (acme-steel: own 0.21 + 0.09,
1.55 kg ore, 0.38 kg coke) -> part (leader, per piece: own 1.0, 2 kg coil).
coil = 0.30 + 0.155 + 0.19 = 0.645;  part = 1.0 + 2 x 0.645 = 2.29.
"""

from __future__ import annotations

import copy
import json
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
    "factors": [
        {
            "id": "ef:coke",
            "productId": COKE,
            "unit": "kilogram",
            "values": {"fossil": "0.5"},
            "dqr": {"technologicalDQR": "3"},
        }
    ],
}


def run(*argv: str) -> int:
    return main(list(argv))


def payload(product: str, own: str, bom: list[dict[str, str]], *, unit: str = "kilogram") -> dict[str, Any]:
    data = json.loads(EXAMPLE.read_text())
    data = copy.deepcopy(data)
    import uuid

    data["id"], data["productIds"] = str(uuid.uuid4()), [product]
    data["pcf"]["declaredUnitOfMeasurement"] = unit
    extension = data["extensions"][0]["data"]
    extension.pop("declarant")
    extension["billOfMaterials"] = bom
    extension["directEmissions"] = [{"source": "site", "component": "fossil", "amount": own}]
    return data


def build_three_tier_chain(root: Path, cli: Any) -> None:
    """root/ws: ore-co and acme-steel (suppliers), leader (chain leader); the three declarations of the
    docstring's chain signed, submitted and anchored; root/factors.json: the secondary factor set."""
    h = ("--home", str(root / "ws"))
    cli.ok("init", *h)
    for org, role in (("ore-co", "supplier"), ("acme-steel", "supplier"), ("leader", "chain-leader")):
        cli.add_member_with_wallet(h, org, role)
    files = {
        "ore-co": payload(ORE, "0.1", []),
        "acme-steel": payload(
            COIL,
            "0.30",
            [
                {"productId": ORE, "quantity": "1.55", "unit": "kilogram"},
                {"productId": COKE, "quantity": "0.38", "unit": "kilogram"},
            ],
        ),
        "leader": payload(PART, "1.0", [{"productId": COIL, "quantity": "2", "unit": "kilogram"}], unit="piece"),
    }
    for org, data in files.items():
        (root / f"{org}.json").write_text(json.dumps(data))
        signed = str(root / f"{org}.signed.json")
        cli.ok("declare", "sign", str(root / f"{org}.json"), "--wallet", org, "--org", org, "-o", signed, *h)
        cli.ok("declare", "submit", signed, *h)
    cli.ok("anchor", "flush", *h)
    (root / "factors.json").write_text(json.dumps(FACTORS))


@pytest.fixture
def chain(cli_copy: Any, tmp_path: Path) -> dict[str, Any]:
    """The three-tier chain anchored (a copy of a workspace made once per session: see conftest.py)."""
    cli_copy("three-tier-chain", build_three_tier_chain)
    return {"h": ("--home", str(tmp_path / "ws")), "tmp": tmp_path, "factors": str(tmp_path / "factors.json")}


def rollup_json(chain: dict[str, Any], capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, Any]:
    capsys.readouterr()
    assert run("rollup", PART, "--factors", chain["factors"], "--json", *extra, *chain["h"]) == 0
    return json.loads(capsys.readouterr().out)


def sign_and_submit_draft(chain: dict[str, Any], draft: Path, *, edit: Any = None) -> None:
    if edit:
        data = json.loads(draft.read_text())
        edit(data)
        draft.write_text(json.dumps(data))
    signed = draft.with_suffix(".signed.json")
    assert run("declare", "sign", str(draft), "--wallet", "leader", "-o", str(signed), *chain["h"]) == 0
    assert run("declare", "submit", str(signed), *chain["h"]) == 0
    assert run("anchor", "flush", *chain["h"]) == 0


def test_rollup_computes_the_hand_worked_footprint(chain: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    found = rollup_json(chain, capsys, "--scenario", "acme-steel=0.8")
    assert found["pcf_excluding_biogenic_uptake"] == pytest.approx(2.29, abs=1e-12)
    assert found["complete"] and found["secondary_sources"] == [{"name": "CLCD", "version": "0.8"}]
    assert found["by_supplier"] == pytest.approx(
        {"leader": 1.0, "acme-steel": 0.6, "ore-co": 0.31, "secondary:CLCD": 0.38}, abs=1e-12
    )
    (scenario,) = found["scenarios"]
    assert scenario["after"] == pytest.approx(2.29 - 0.2 * 0.6, abs=1e-12)


def test_a_signed_rolled_up_footprint_passes_audit(chain: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    draft = chain["tmp"] / "draft.json"
    rollup_json(chain, capsys, "--draft", str(draft))
    assert json.loads(draft.read_text())["pcf"]["pcfExcludingBiogenicUptake"] == "2.29"
    sign_and_submit_draft(chain, draft)
    capsys.readouterr()
    assert run("audit", PART, "--factors", chain["factors"], *chain["h"]) == 0, capsys.readouterr().out


def test_a_tampered_claim_is_caught(chain: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    draft = chain["tmp"] / "draft.json"
    rollup_json(chain, capsys, "--draft", str(draft))
    sign_and_submit_draft(chain, draft, edit=lambda d: d["pcf"].__setitem__("fossilGhgEmissions", "1.90"))
    capsys.readouterr()
    assert run("audit", PART, "--factors", chain["factors"], *chain["h"]) == 1
    assert "/pcf/fossilGhgEmissions: claims 1.90, recomputed 2.290000" in capsys.readouterr().out


def test_a_swapped_upstream_declaration_is_caught(chain: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    draft = chain["tmp"] / "draft.json"
    rollup_json(chain, capsys, "--draft", str(draft))

    def swap(data: dict[str, Any]) -> None:
        for item in data["extensions"][0]["data"]["provenance"]["inputs"]:
            if item.get("productId") == ORE:
                item["digest"] = "0x" + "ee" * 32

    sign_and_submit_draft(chain, draft, edit=swap)
    capsys.readouterr()
    assert run("audit", PART, "--factors", chain["factors"], *chain["h"]) == 1
    assert f"input {ORE} digest 0x{'ee' * 32} is not in this ledger" in capsys.readouterr().out


def test_a_changed_factor_is_caught(chain: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    draft = chain["tmp"] / "draft.json"
    rollup_json(chain, capsys, "--draft", str(draft))
    sign_and_submit_draft(chain, draft)
    changed = copy.deepcopy(FACTORS)
    changed["factors"][0]["values"]["fossil"] = "0.45"
    Path(chain["factors"]).write_text(json.dumps(changed))
    capsys.readouterr()
    assert run("audit", PART, "--factors", chain["factors"], *chain["h"]) == 1
    out = capsys.readouterr().out
    assert "factor ef:coke changed" in out and "/pcf/pcfExcludingBiogenicUptake: claims 2.29" in out


def test_an_unknown_product_is_named(chain: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    assert run("rollup", "urn:tanji:nobody:nothing", *chain["h"]) == 3  # not found
    assert "no current anchored declaration of product 'urn:tanji:nobody:nothing'" in capsys.readouterr().err


def test_a_stored_factor_dataset_stands_in_for_an_undeclared_input(
    chain: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    """The same coke factor as FACTORS (0.5 kgCO2e/kg), from a stored dataset bound to COKE: same 2.29 total."""
    csv = chain["tmp"] / "coke.csv"
    csv.write_text(
        "# name: coke-factors\n# version: 1\n"
        "id,value,unit,gas_basis,scope,geography,year,source_title,source_publisher,source_date,source_url,licence\n"
        "coke-ef,0.5,kg,CO2e,life-cycle,CN,2024,Test factor,Test,2025-01-01,https://example.org/coke,public\n",
        encoding="utf-8",
    )
    assert run("factors", "import", str(csv), *chain["h"]) == 0
    capsys.readouterr()
    common = ("--factor-dataset", "coke-factors@1", "--bind", f"{COKE}=coke-ef", "--json", *chain["h"])
    assert run("rollup", PART, *common) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["pcf_excluding_biogenic_uptake"] == pytest.approx(2.29, abs=1e-12)
    assert run("rollup", PART, "--bind", f"{COKE}=coke-ef", *chain["h"]) == 2  # a binding needs its dataset
    assert "--bind needs --factor-dataset" in capsys.readouterr().err
