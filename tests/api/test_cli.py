"""The tanji command line on the embedded default: init, members, keys, status, wallets and bad input."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from eth_account import Account

from api.cli.main import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def home(initialised_home: Path) -> Path:
    """A workspace right after `tanji init` (a copy of one made once per session: see conftest.py)."""
    return initialised_home


def test_help_is_fast_because_web3_is_imported_lazily() -> None:
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "api.cli.main", "--help"], cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    assert out.returncode == 0 and "init" in out.stdout
    probe = subprocess.run(
        [sys.executable, "-c", "import sys, api.cli.main as m; m.build_parser(); print('web3' in sys.modules)"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert probe.stdout.strip() == "False", f"building the parser imported web3 ({elapsed:.2f}s)"


def test_init_writes_config_and_status_reads_it(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = json.loads((home / "config.json").read_text())
    assert config["mode"] == "embedded" and config["deployment"]["chain_id"] == 131277322940537
    assert (home / "keystore" / "operator.json").stat().st_mode & 0o077 == 0
    capsys.readouterr()
    assert main(["chain", "status", "--home", str(home), "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["contracts"]["TanjiLedger"] == config["deployment"]["ledger"]
    assert status["block"] >= 3 and status["operator_balance_wei"] > 0


def test_member_lifecycle_through_the_cli(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    h = ["--home", str(home)]
    assert main(["wallet", "new", "acme-key", *h]) == 0
    capsys.readouterr()
    assert main(["wallet", "list", "--json", *h]) == 0
    first, second = json.loads(capsys.readouterr().out)[0]["address"], Account.create().address
    assert main(["member", "add", "acme", "--role", "supplier", "--role", "chain-leader", "--address", first, *h]) == 0
    assert main(["key", "add", "acme", "--address", second, *h]) == 0  # the operator only proposes
    assert main(["key", "retire", "acme", "--address", first, *h]) == 4  # would leave acme without an active key
    assert main(["key", "accept", "acme", "--address", second, "--wallet", "acme-key", *h]) == 0
    assert main(["key", "retire", "acme", "--address", first, *h]) == 0
    assert main(["member", "suspend", "acme", "--reason", "audit", *h]) == 0
    capsys.readouterr()
    assert main(["member", "show", "acme", "--json", *h]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["suspended"] is True and shown["roles"] == ["supplier", "chain-leader"]
    assert [k["address"] for k in shown["keys"]] == [first, second]
    assert shown["keys"][0]["retired_at_block"] > 0 and shown["keys"][1]["retired_at_block"] == 0


def test_wallets_are_created_encrypted_and_listed(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["wallet", "new", "acme-key", "--home", str(home)]) == 0
    capsys.readouterr()
    assert main(["wallet", "list", "--json", "--home", str(home)]) == 0
    (wallet,) = json.loads(capsys.readouterr().out)
    stored = json.loads(Path(wallet["path"]).read_text())
    assert wallet["name"] == "acme-key" and "crypto" in stored and "ciphertext" in stored["crypto"]


@pytest.mark.parametrize(
    ("argv", "message", "exit_code"),
    [
        (["member", "add", "x", "--role", "emperor", "--address", "0x" + "11" * 20], "unknown role 'emperor'", 2),
        (["member", "suspend", "operator"], "TanjiProtectedMember", 5),
        (["member", "reinstate", "ghost"], "TanjiUnknownMember", 3),
        (["key", "retire", "operator", "--address", "0x" + "22" * 20], "TanjiKeyNotOfMember", 5),
        (["init"], "already a Tanji workspace", 4),
    ],
)
def test_bad_input_gets_one_clear_line_and_the_exit_code_of_its_kind(
    home: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str, exit_code: int
) -> None:
    capsys.readouterr()
    assert main([*argv, "--home", str(home)]) == exit_code
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err and "Traceback" not in err


def test_commands_on_a_missing_workspace_name_the_remedy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["chain", "status", "--home", str(tmp_path / "nowhere")]) == 3  # not found
    assert "run `tanji init" in capsys.readouterr().err


def test_usage_errors_exit_2() -> None:
    assert main(["member", "add"]) == 2


def test_a_malformed_address_is_a_usage_error_naming_it(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["member", "add", "x", "--role", "supplier", "--address", "0x123", "--home", str(home)]) == 2
    assert "'0x123' is not an Ethereum address" in capsys.readouterr().err


def test_a_malformed_factor_file_names_what_is_missing(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    factors = tmp_path / "f.json"
    factors.write_text('{"factors": [{"id": "ef:x"}]}')
    assert main(["rollup", "urn:x", "--factors", str(factors), "--home", str(home)]) == 2  # invalid input
    assert "factor 0 lacks productId, unit, values" in capsys.readouterr().err


def test_unexpected_failures_print_one_line_not_a_trace(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import api.cli.chain_cmds as chain_cmds

    def broken(_args: object) -> int:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(chain_cmds, "cmd_chain_status", broken)
    assert main(["chain", "status", "--home", str(home)]) == 70  # EX_SOFTWARE: a bug
    err = capsys.readouterr().err
    assert "unexpected RuntimeError: disk on fire" in err and "Traceback" not in err
