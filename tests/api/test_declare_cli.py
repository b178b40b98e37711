"""The declaration workflow through the CLI: wallet, sign, submit, anchor, verify, export, disclose, grant."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from factories import EXAMPLE

from api.cli.main import main


def run(*argv: str) -> int:
    return main(list(argv))


def address_of(home: Path, wallet: str, capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    assert run("wallet", "list", "--json", "--home", str(home)) == 0
    return next(w["address"] for w in json.loads(capsys.readouterr().out) if w["name"] == wallet)


@pytest.fixture
def workspace(signed_declaration_workspace: Path, tmp_path: Path) -> dict[str, Any]:
    """init, wallet acme-key, member acme-steel (supplier), the example signed to tmp_path/hrc.signed.json
    (a copy of a workspace made once per session: see conftest.py)."""
    home = signed_declaration_workspace
    h = ("--home", str(home))
    signed = tmp_path / "hrc.signed.json"
    return {"home": home, "h": h, "signed": signed, "id": json.loads(EXAMPLE.read_text())["id"], "tmp": tmp_path}


def test_sign_submit_anchor_verify(workspace: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    h, declaration_id = workspace["h"], workspace["id"]
    assert run("declare", "submit", str(workspace["signed"]), *h) == 0
    assert run("verify", declaration_id, *h) == 1  # not anchored yet
    assert "tanji anchor flush" in capsys.readouterr().out
    assert run("anchor", "flush", *h) == 0
    capsys.readouterr()
    assert run("verify", declaration_id, "--json", *h) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["valid"] and [c["name"] for c in report["checks"]] == [
        "envelope",
        "signature",
        "domain",
        "anchor",
        "key",
        "status",
        "validity",
    ]
    assert run("verify", str(workspace["signed"]), *h) == 0  # the signed file itself is found by its digest


def test_resubmitting_is_idempotent_and_tampered_files_are_named(
    workspace: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    h = workspace["h"]
    assert run("declare", "submit", str(workspace["signed"]), *h) == 0
    capsys.readouterr()
    assert run("declare", "submit", str(workspace["signed"]), "--json", *h) == 0
    assert json.loads(capsys.readouterr().out)[0]["duplicate"] is True
    envelope = json.loads(workspace["signed"].read_text())
    envelope["payload"]["pcf"]["pcfExcludingBiogenicUptake"] = "1.00"
    tampered = workspace["tmp"] / "tampered.json"
    tampered.write_text(json.dumps(envelope))
    assert run("declare", "submit", str(tampered), *h) == 1
    assert "DigestMismatchError" in capsys.readouterr().out
    assert run("verify", str(tampered), *h) == 1
    assert "first failure: envelope" in capsys.readouterr().out


def test_bundles_and_disclosures_verify_without_the_database(
    workspace: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    h, declaration_id, tmp = workspace["h"], workspace["id"], workspace["tmp"]
    run("declare", "submit", str(workspace["signed"]), *h)
    run("anchor", "flush", *h)
    bundle, disclosure = tmp / "bundle.json", tmp / "disclosure.json"
    assert run("proof", "export", declaration_id, "-o", str(bundle), *h) == 0
    assert (
        run(
            "proof",
            "export",
            declaration_id,
            "--disclose",
            "productIds,pcfExcludingBiogenicUptake",
            "-o",
            str(disclosure),
            *h,
        )
        == 0
    )
    (workspace["home"] / "tanji.sqlite3").rename(tmp / "elsewhere.sqlite3")  # no Tanji database from here on
    capsys.readouterr()
    assert run("verify", str(bundle), *h) == 0
    assert run("verify", str(disclosure), "--json", *h) == 0
    out = capsys.readouterr().out
    report = json.loads(out[out.index("{\n") :])
    assert report["info"]["revealed"] == {
        "/productIds": ["urn:tanji:acme-steel:hot-rolled-coil"],
        "/pcf/pcfExcludingBiogenicUptake": "2.08",
    }
    assert "Acme Steel" not in disclosure.read_text()
    tampered = json.loads(disclosure.read_text())
    tampered["disclosure"]["revealed"]["/pcf/pcfExcludingBiogenicUptake"]["value"] = "0.90"
    (tmp / "forged.json").write_text(json.dumps(tampered))
    capsys.readouterr()
    assert run("verify", str(tmp / "forged.json"), *h) == 1
    assert "a revealed value or salt was altered" in capsys.readouterr().out


def test_only_the_declarant_and_granted_organizations_read_the_payload(
    workspace: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    h, declaration_id = workspace["h"], workspace["id"]
    run("declare", "submit", str(workspace["signed"]), *h)
    capsys.readouterr()
    assert run("declare", "show", declaration_id, "--as", "acme-steel", *h) == 0
    assert json.loads(capsys.readouterr().out)["id"] == declaration_id
    assert run("declare", "show", declaration_id, "--as", "bank-a", *h) == 5  # not allowed
    assert "may not read" in capsys.readouterr().err
    assert run("declare", "grant", declaration_id, "--to", "bank-a", "--by", "bank-a", *h) == 5
    assert run("declare", "grant", declaration_id, "--to", "bank-a", "--by", "acme-steel", *h) == 0
    assert run("declare", "show", declaration_id, "--as", "bank-a", *h) == 0


def test_unknown_ids_are_not_found_errors(workspace: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    assert run("verify", "no-such-id", *workspace["h"]) == 3  # not found
    assert "no declaration" in capsys.readouterr().err


def test_a_signed_file_never_submitted_is_checked_as_far_as_it_can_be(
    workspace: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert run("verify", str(workspace["signed"]), "--json", *workspace["h"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [(c["name"], c["ok"]) for c in report["checks"]][:4] == [
        ("envelope", True),
        ("signature", True),
        ("domain", True),
        ("anchor", False),
    ]


@pytest.mark.node
def test_a_bundle_verifies_against_a_node_by_rpc_url_and_the_published_trust_anchors(
    hardhat_node: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TANJI_WALLET_PASSWORD", "correct horse battery")
    home = tmp_path / "node-ws"
    h = ("--home", str(home))
    assert run("init", "--rpc-url", hardhat_node.url, *h) == 0
    assert run("wallet", "new", "k", *h) == 0
    address = address_of(home, "k", capsys)
    assert run("member", "add", "acme-steel", "--role", "supplier", "--address", address, *h) == 0
    assert run("declare", "sign", str(EXAMPLE), "--wallet", "k", "-o", str(tmp_path / "s.json"), *h) == 0
    assert run("declare", "submit", str(tmp_path / "s.json"), *h) == 0
    assert run("anchor", "flush", *h) == 0
    declaration_id = json.loads(EXAMPLE.read_text())["id"]
    assert run("proof", "export", declaration_id, "-o", str(tmp_path / "b.json"), *h) == 0
    assert run("trust", "export", "-o", str(tmp_path / "trust.json"), *h) == 0
    assert run("verify", str(tmp_path / "b.json"), *h) == 0  # the workspace's own node, read without web3 too
    empty = tmp_path / "no-workspace"
    trust = ("--trust", str(tmp_path / "trust.json"))
    assert run("verify", str(tmp_path / "b.json"), "--rpc-url", hardhat_node.url, *trust, "--home", str(empty)) == 0
    assert not empty.exists()
    argv = ["verify", str(tmp_path / "b.json"), "--rpc-url", hardhat_node.url, *trust, "--home", str(empty), "--json"]
    answer = subprocess.run([sys.executable, "-c", VERIFY_WITHOUT_WEB3, *argv], capture_output=True, text=True)
    assert answer.returncode == 0, answer.stderr
    report = json.loads(answer.stdout)
    assert report["valid"] is True and report["declarationId"] == declaration_id
    assert "web3 imported: False" in answer.stderr


# runs `tanji ARGS` in a fresh interpreter, then says on stderr whether web3 was ever imported
VERIFY_WITHOUT_WEB3 = """
import sys
from api.cli.main import main
code = main(sys.argv[1:])
print("web3 imported:", "web3" in sys.modules, file=sys.stderr)
sys.exit(code)
"""


def test_verifying_a_bundle_against_an_unreachable_node_names_the_url(tmp_path: Path) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}"
    trust = tmp_path / "trust.json"
    address = "0x" + "11" * 20
    trust.write_text(
        json.dumps(
            {
                "type": "tanji.trust-anchors/1",
                "chainId": 31337,
                "ledger": address,
                "attestations": address,
                "labels": address,
            }
        )
    )
    bundle = tmp_path / "b.json"
    bundle.write_text(json.dumps({"type": "tanji.proof-bundle/1"}))
    answer = subprocess.run(
        [
            sys.executable,
            "-m",
            "api.cli.main",
            "verify",
            str(bundle),
            "--rpc-url",
            url,
            "--trust",
            str(trust),
            "--home",
            str(tmp_path / "none"),
        ],
        capture_output=True,
        text=True,
    )
    assert answer.returncode == 6, answer.stderr  # unavailable (api.errors)
    assert url in answer.stderr and "cannot reach" in answer.stderr


def test_the_declarant_revokes_with_its_own_wallet_and_verify_reports_it(
    workspace: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    h, declaration_id = workspace["h"], workspace["id"]
    run("declare", "submit", str(workspace["signed"]), *h)
    assert run("declare", "revoke", declaration_id, "--wallet", "acme-key", "--reason", "misstatement", *h) == 4
    assert "not anchored yet" in capsys.readouterr().err
    run("anchor", "flush", *h)
    assert run("declare", "revoke", declaration_id, "--wallet", "acme-key", "--reason", "nonsense", *h) == 2
    assert "unknown reason 'nonsense'" in capsys.readouterr().err
    assert run("declare", "revoke", declaration_id, "--wallet", "acme-key", "--reason", "misstatement", *h) == 0
    capsys.readouterr()
    assert run("verify", declaration_id, *h) == 1
    out = capsys.readouterr().out
    assert "REVOKED" in out and "reason 3: misstatement" in out
    assert run("declare", "revoke", declaration_id, "--wallet", "acme-key", "--reason", "3", *h) == 4  # conflict
    assert "TanjiDeclarationFinal" in capsys.readouterr().err
