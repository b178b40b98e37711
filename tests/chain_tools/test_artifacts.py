"""Committed artifacts are fresh, self-describing and reproducible."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from chain_tools.artifacts import artifact_names, load_artifact, stale_artifacts
from chain_tools.compile import DEPLOYABLE, EVM_VERSION, OPTIMIZER_RUNS, SOLC_VERSION, compile_contracts

ROOT = Path(__file__).resolve().parents[2]


def test_every_deployable_contract_has_an_artifact_with_its_origin() -> None:
    assert set(artifact_names()) == set(DEPLOYABLE)
    for name in DEPLOYABLE:
        artifact = load_artifact(name)
        assert artifact["generator"] == "chain_tools.compile"
        assert artifact["solc"].startswith(SOLC_VERSION + "+commit.")
        assert artifact["settings"] == {
            "evmVersion": EVM_VERSION,
            "optimizer": {"enabled": True, "runs": OPTIMIZER_RUNS},
        }
        assert artifact["bytecode"].startswith("0x6") and len(artifact["bytecode"]) > 1000 and artifact["abi"]


def test_artifacts_match_the_current_contract_sources() -> None:
    stale = stale_artifacts()
    assert not stale, f"artifacts {stale} are stale: run `make artifacts` and commit chain_tools/artifacts/"


def test_freshness_check_notices_an_edited_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import chain_tools.artifacts as artifacts_module

    copy = tmp_path / "contracts"
    copy.mkdir()
    for source in (ROOT / "contracts").rglob("*.sol"):
        target = copy / source.relative_to(ROOT / "contracts")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(artifacts_module, "CONTRACTS_DIR", copy)
    assert stale_artifacts() == []
    (copy / "TanjiLedger.sol").write_text((copy / "TanjiLedger.sol").read_text() + "\n// edited\n", encoding="utf-8")
    assert set(stale_artifacts()) == set(DEPLOYABLE)


def test_solidity_pins_agree_between_compile_pipeline_and_hardhat() -> None:
    config = (ROOT / "hardhat.config.js").read_text(encoding="utf-8")
    assert f'evmVersion: "{EVM_VERSION}"' in config
    assert f"runs: {OPTIMIZER_RUNS} " in config
    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    assert package["devDependencies"]["solc"] == SOLC_VERSION
    for source in (ROOT / "contracts").rglob("*.sol"):
        assert re.search(rf"^pragma solidity {re.escape(SOLC_VERSION)};$", source.read_text(), re.MULTILINE), source


@pytest.mark.solc
def test_recompiling_reproduces_the_committed_bytecode() -> None:
    if not (ROOT / "node_modules" / "solc" / "soljson.js").exists():
        pytest.skip("solc-js not installed (npm ci)")
    fresh = compile_contracts()
    for name in DEPLOYABLE:
        committed = load_artifact(name)
        assert fresh[name]["bytecode"] == committed["bytecode"], f"{name} bytecode differs: run `make artifacts`"
        assert fresh[name]["abi"] == committed["abi"]
