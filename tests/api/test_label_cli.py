"""Auditors attest and certification bodies manage carbon labels through the CLI; anyone checks a label by serial."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from factories import EXAMPLE

from api.cli.main import main

BENCHMARKS = Path(__file__).resolve().parents[2] / "examples" / "label-benchmarks"


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
    assert run("label", "benchmark", "import", str(BENCHMARKS / "EXAMPLE-NOT-OFFICIAL-steel-bf-bof.csv"), *h) == 0
    assert "imported: benchmark cn-pcf-2025-06 example-1-csv, 4 bands" in capsys.readouterr().out
    assert (
        run(
            "label",
            "issue",
            serial,
            "--declaration",
            declaration,
            "--filing-number",
            "ZJ-TBS-2026-000123",
            "--scheme",
            "zhejiang",
            "--category",
            "cn-pcf-2025-06",
            "--grade",
            "B",
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
    assert "2.08 kgCO2e/kilogram, grade B (score 75), filing ZJ-TBS-2026-000123" in capsys.readouterr().out
    assert run("label", "status", serial, "--json", *h) == 0
    status = json.loads(capsys.readouterr().out)
    assert (status["status"], status["grade"], status["declaration"]["valid"]) == ("valid", "B", True)
    assert (status["scheme"], status["score"], status["termsVerified"]) == ("zhejiang", "75", True)
    assert run("label", "suspend", serial, "--wallet", "cqc", "--reason", "data-error", *h) == 0
    assert run("label", "status", serial, *h) == 1
    assert "SUSPENDED" in capsys.readouterr().out
    assert run("label", "reinstate", serial, "--wallet", "cqc", *h) == 0
    assert run("label", "revoke", serial, "--wallet", "samr", "--reason", "regulatory-order", *h) == 0
    capsys.readouterr()
    assert run("label", "status", serial, *h) == 1
    assert "INVALID (REVOKED): the label was revoked" in capsys.readouterr().out
    assert run("label", "impacted", serial, "--json", *h) == 0  # nothing downstream of the example here
    impact = json.loads(capsys.readouterr().out)
    assert (impact["needsReevaluation"], impact["products"]) == (True, [])


def issue(
    anchored: dict[str, Any],
    *extra: str,
    valid_from: str = "2026-01-01",
    wallet: str = "cqc",
    filing: str = "SH-2026-7",
) -> int:
    return run(
        "label",
        "issue",
        "X-1",
        "--declaration",
        anchored["id"],
        "--filing-number",
        filing,
        *extra,
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
    assert issue(anchored, "--grade", "A" * 17) == 2  # invalid input
    assert "must be 1-16 bytes" in capsys.readouterr().err
    assert issue(anchored, filing="sh 2026 7") == 2
    assert "filing number (备案号) 'sh 2026 7' is not of the form" in capsys.readouterr().err
    assert issue(anchored, "--category", "cn-pcf-2025-77") == 2
    assert "unknown product category 'cn-pcf-2025-77'" in capsys.readouterr().err
    assert issue(anchored, "--category", "cn-pcf-2025-06") == 3  # no benchmark imported for the category
    assert "no benchmark for category 'cn-pcf-2025-06' is stored" in capsys.readouterr().err
    assert issue(anchored, "--value", "3.1") == 2
    assert "certified value 3.1 kgCO2e/kilogram differs" in capsys.readouterr().err
    assert issue(anchored, valid_from="someday") == 2
    assert "'someday' is not an ISO date" in capsys.readouterr().err
    assert run("label", "status", "NO-SUCH-LABEL", *h) == 1
    assert "UNKNOWN" in capsys.readouterr().out


def test_overlapping_benchmark_thresholds_are_refused_by_row_and_nothing_is_stored(
    anchored: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    h = anchored["h"]
    text = (BENCHMARKS / "EXAMPLE-NOT-OFFICIAL-steel-bf-bof.csv").read_text(encoding="utf-8")
    overlapping = tmp_path / "overlap.csv"
    overlapping.write_text(text.replace(",2.2,3,C,", ",2.1,3,C,"), encoding="utf-8")
    assert run("label", "benchmark", "import", str(overlapping), *h) == 2
    assert "rows 3 and 4 overlap" in capsys.readouterr().err
    assert run("label", "benchmark", "list", "--json", *h) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert run("label", "benchmark", "import", str(BENCHMARKS / "EXAMPLE-NOT-OFFICIAL-steel-bf-bof.json"), *h) == 0
    capsys.readouterr()
    assert run("label", "benchmark", "show", "cn-pcf-2025-06", *h) == 0
    assert "[1.8, 2.2) -> B (score 75)" in capsys.readouterr().out
    assert run("label", "catalogue", "--json", *h) == 0
    assert len(json.loads(capsys.readouterr().out)["categories"]) == 17
