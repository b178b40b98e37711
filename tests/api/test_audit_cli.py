"""The audit workflow through the CLI: the declarant assigns an auditor, the auditor works and attests with a
standard and findings, a verification lists the report, and a report file is checked against the chain."""

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
def ws(anchored_for_labels_workspace: Path, tmp_path: Path) -> dict[str, Any]:
    h = ("--home", str(anchored_for_labels_workspace))
    return {"h": h, "id": json.loads(EXAMPLE.read_text())["id"], "tmp": tmp_path}


def test_assign_work_attest_verify_and_check_the_report(ws: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    h, key, tmp = ws["h"], ws["id"], ws["tmp"]
    as_declarant = ("--org", "acme-steel", "--wallet", "acme-steel")
    as_auditor = ("--org", "audit-co", "--wallet", "audit-co")
    assert run("audit", "work", key, *as_auditor, *h) == 5  # not assigned yet
    assert "not assigned to audit" in capsys.readouterr().err
    assert run("audit", "assign", key, "--auditor", "cqc", *as_declarant, *h) == 5
    assert "'cqc' holds certifier, not the auditor role" in capsys.readouterr().err
    assert run("audit", "assign", key, "--auditor", "audit-co", "--org", "acme-steel", "--wallet", "audit-co", *h) == 5
    assert "is not an active key of organization 'acme-steel'" in capsys.readouterr().err
    assert run("audit", "assign", key, "--auditor", "audit-co", *as_declarant, *h) == 0
    capsys.readouterr()
    assert run("audit", "assigned", *as_auditor, "--json", *h) == 0
    assert [item["declarationId"] for item in json.loads(capsys.readouterr().out)] == [key]
    assert run("audit", "work", key, *as_auditor, "--json", *h) == 0
    work = json.loads(capsys.readouterr().out)
    assert work["arithmetic"]["passed"] is True and work["arithmetic"]["kind"] == "totals"
    report_file, document = tmp / "report.json", tmp / "report.pdf"
    attest = ("attest", key, "--wallet", "audit-co", "--result", "verified", "--assurance", "limited")
    terms = ("--standard", "ISO 14067", "--finding", "allocation documented", "--finding", "no exclusions above 1 %")
    assert run(*attest, *terms, "--report-file", str(document), "--out", str(report_file), *h) == 0
    capsys.readouterr()
    assert run("verify", key, "--json", *h) == 0
    (listed,) = json.loads(capsys.readouterr().out)["info"]["attestations"]
    assert listed["reportCheck"] == "ok" and listed["standard"] == "ISO 14067"
    assert listed["findings"] == ["allocation documented", "no exclusions above 1 %"]
    assert run("audit", "check-report", key, str(report_file), *h) == 0
    capsys.readouterr()
    tampered = json.loads(report_file.read_text())
    tampered["findings"] = []
    report_file.write_text(json.dumps(tampered))
    assert run("audit", "check-report", key, str(report_file), *h) == 1
    assert "FAILED: the report hashes to" in capsys.readouterr().out
    assert run("audit", "unassign", key, "--auditor", "audit-co", *as_declarant, *h) == 0
    assert run("audit", "work", key, *as_auditor, *h) == 5


def test_an_attestation_with_an_unknown_standard_is_refused_naming_it(
    ws: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    attest = ("attest", ws["id"], "--wallet", "audit-co", "--result", "verified", "--assurance", "limited")
    assert run(*attest, "--standard", "ISO 9001", *ws["h"]) == 2
    assert "unknown standard 'ISO 9001'; use one of: ISO 14064-3" in capsys.readouterr().err
