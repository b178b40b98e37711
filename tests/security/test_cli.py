"""The attacks through the CLI a verifier and a supplier use: `tanji verify --trust`, `tanji trust export`,
`tanji declare sign` with supersession consent, `--as-of`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from factories import EXAMPLE

from api.cli.main import main


def run(*argv: str) -> int:
    return main(list(argv))


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    """A workspace with acme-steel's declaration of the example anchored, and its full proof bundle."""
    monkeypatch.setenv("TANJI_WALLET_PASSWORD", "correct horse battery")
    h = ("--home", str(tmp_path / "ws"))
    assert run("init", *h) == 0
    assert run("wallet", "new", "acme-steel", *h) == 0
    capsys.readouterr()
    run("wallet", "list", "--json", *h)
    address = json.loads(capsys.readouterr().out)[0]["address"]
    assert run("member", "add", "acme-steel", "--role", "supplier", "--address", address, *h) == 0
    signed, bundle = tmp_path / "s.json", tmp_path / "bundle.json"
    assert run("declare", "sign", str(EXAMPLE), "--wallet", "acme-steel", "-o", str(signed), *h) == 0
    assert run("declare", "submit", str(signed), *h) == 0
    assert run("anchor", "flush", *h) == 0
    declaration_id = json.loads(EXAMPLE.read_text())["id"]
    assert run("proof", "export", declaration_id, "-o", str(bundle), *h) == 0
    capsys.readouterr()
    return {"h": h, "tmp": tmp_path, "id": declaration_id, "bundle": bundle}


def test_verify_refuses_a_bundle_naming_other_contracts_than_the_trusted_ones(
    cli: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    forged = json.loads(cli["bundle"].read_text())
    forged["chain"]["ledger"] = "0x" + "ab" * 20
    path = cli["tmp"] / "forged.json"
    path.write_text(json.dumps(forged))
    assert run("verify", str(path), *cli["h"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("INVALID") and "deployment" in out and "another deployment" in out


def test_verify_with_a_published_trust_file_of_another_deployment_is_refused(
    cli: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    trust = cli["tmp"] / "trust.json"
    assert run("trust", "export", "-o", str(trust), *cli["h"]) == 0
    assert run("verify", str(cli["bundle"]), "--trust", str(trust), *cli["h"]) == 0
    other = json.loads(trust.read_text()) | {"ledger": "0x" + "cd" * 20}
    trust.write_text(json.dumps(other))
    capsys.readouterr()
    assert run("verify", str(cli["bundle"]), "--trust", str(trust), *cli["h"]) == 2
    assert "is not this workspace's" in capsys.readouterr().err


def test_declare_sign_consents_so_the_old_bundle_reports_superseded_from_the_chain(
    cli: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    successor = json.loads(EXAMPLE.read_text()) | {"id": "0b8c7f52-1f0e-4a57-8a8b-5d2b3c4e6f70"}
    successor["precedingPfIds"] = [cli["id"]]
    source, signed = cli["tmp"] / "v2.json", cli["tmp"] / "v2.signed.json"
    source.write_text(json.dumps(successor))
    assert run("declare", "sign", str(source), "--wallet", "acme-steel", "-o", str(signed), *cli["h"]) == 0
    assert "with supersession consent" in capsys.readouterr().out
    assert len(json.loads(signed.read_text())["supersessions"]) == 1
    assert run("declare", "submit", str(signed), *cli["h"]) == 0
    assert run("anchor", "flush", *cli["h"]) == 0
    capsys.readouterr()
    assert run("verify", str(cli["bundle"]), *cli["h"]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"SUPERSEDED declaration {cli['id']}") and "SUPERSEDED on chain" in out


def test_verify_as_of_a_later_date_reports_expired(cli: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    assert run("verify", cli["id"], "--as-of", "2031-01-01", *cli["h"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("EXPIRED declaration") and "EXPIRED as of 2031-01-01" in out
    assert run("verify", cli["id"], "--as-of", "not-a-date", *cli["h"]) == 2
