"""Auditors attest and certification bodies manage carbon labels through the CLI; anyone checks a label by serial."""

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
def anchored(anchored_for_labels_workspace: Path, tmp_path: Path) -> dict[str, Any]:
    """Supplier, certifier, auditor and regulator with wallets; the example anchored; a report file
    (a copy of a workspace made once per session: see conftest.py)."""
    h = ("--home", str(anchored_for_labels_workspace))
    return {"h": h, "id": json.loads(EXAMPLE.read_text())["id"], "report": str(tmp_path / "report.pdf")}


def test_attest_then_label_lifecycle_with_public_status(
    anchored: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    h, declaration = anchored["h"], anchored["id"]
    assert (
        run(
            "attest",
            declaration,
            "--wallet",
            "audit-co",
            "--result",
            "verified",
            "--assurance",
            "reasonable",
            "--report",
            anchored["report"],
            *h,
        )
        == 0
    )
    capsys.readouterr()
    assert run("verify", declaration, "--json", *h) == 0
    (attestation,) = json.loads(capsys.readouterr().out)["info"]["attestations"]
    assert (attestation["result"], attestation["assurance"]) == ("verified", "reasonable")
    serial = "CN-CL-2026-000042"
    assert (
        run(
            "label",
            "issue",
            serial,
            "--declaration",
            declaration,
            "--grade",
            "一级",
            "--valid-from",
            "2026-01-01",
            "--valid-until",
            "2030-01-01",
            "--wallet",
            "cqc",
            *h,
        )
        == 0
    )
    capsys.readouterr()
    assert run("label", "status", serial, "--json", *h) == 0
    status = json.loads(capsys.readouterr().out)
    assert (status["status"], status["grade"], status["declaration"]["valid"]) == ("valid", "一级", True)
    assert run("label", "suspend", serial, "--wallet", "cqc", "--reason", "data-error", *h) == 0
    assert run("label", "status", serial, *h) == 1
    assert "SUSPENDED" in capsys.readouterr().out
    assert run("label", "reinstate", serial, "--wallet", "cqc", *h) == 0
    assert run("label", "revoke", serial, "--wallet", "samr", "--reason", "regulatory-order", *h) == 0
    capsys.readouterr()
    assert run("label", "status", serial, *h) == 1
    assert "REVOKED" in capsys.readouterr().out


def issue(anchored: dict[str, Any], *, grade: str = "A", valid_from: str = "2026-01-01", wallet: str = "cqc") -> int:
    return run(
        "label",
        "issue",
        "X-1",
        "--declaration",
        anchored["id"],
        "--grade",
        grade,
        "--valid-from",
        valid_from,
        "--valid-until",
        "2030-01-01",
        "--wallet",
        wallet,
        *anchored["h"],
    )


def test_only_certifiers_issue_and_bad_input_is_named(
    anchored: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    h = anchored["h"]
    capsys.readouterr()
    assert issue(anchored) == 4  # conflict: a label rests on a positive third-party attestation
    assert "no verified or qualified attestation" in capsys.readouterr().err
    attest = ("attest", anchored["id"], "--wallet", "audit-co", "--result", "verified", "--assurance", "limited")
    assert run(*attest, "--report", anchored["report"], *h) == 0
    capsys.readouterr()
    assert issue(anchored, wallet="acme-steel") == 5  # not allowed
    assert "TanjiMissingRole" in capsys.readouterr().err
    assert issue(anchored, grade="A" * 17) == 2  # invalid input
    assert "must be 1-16 bytes" in capsys.readouterr().err
    assert issue(anchored, valid_from="someday") == 2
    assert "'someday' is not an ISO date" in capsys.readouterr().err
    assert run("label", "status", "NO-SUCH-LABEL", *h) == 1
    assert "UNKNOWN" in capsys.readouterr().out
