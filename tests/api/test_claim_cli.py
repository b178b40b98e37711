"""`tanji claim check` (a bank's green-finance claim, evidence verified with `tanji verify`) and `tanji flags list`,
over a workspace where acme-steel's example declaration is anchored (tests/api/conftest.py)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from factories import EXAMPLE
from sqlmodel import select

from api.cli.main import main
from api.compose import open_store
from api.settings import Settings
from ledger.service.grants import grant
from ledger.storage.tables import BatchRow

PRODUCT = "urn:tanji:acme-steel:hot-rolled-coil"
TOMORROW = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()


@pytest.fixture
def ws(anchored_for_labels_workspace: Path) -> dict[str, Any]:
    """The workspace, with acme-steel's footprint (only) disclosed to the bank."""
    declaration = json.loads(EXAMPLE.read_text())["id"]
    store = open_store(Settings(home=anchored_for_labels_workspace))
    with store.sessions() as session:
        grant(
            session,
            store.keyring,
            declaration,
            recipient="bank",
            by="acme-steel",
            fields=["pcfExcludingBiogenicUptake"],
        )
    return {"h": ("--home", str(anchored_for_labels_workspace)), "id": declaration}


def write_claim(path: Path, **changes: Any) -> str:
    claim = {
        "subject": {"productId": PRODUCT},
        "metric": "footprint_per_declared_unit",
        "comparison": "<=",
        "threshold": "2.5",
        "asOf": TOMORROW,
        **changes,
    }
    path.write_text(json.dumps(claim), encoding="utf-8")
    return str(path)


def test_a_claim_holds_and_its_evidence_verifies_then_fails_after_tampering(
    ws: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    claim, evidence = write_claim(tmp_path / "claim.json"), tmp_path / "evidence.json"
    assert main(["claim", "check", claim, "--as", "bank", "--evidence", str(evidence), *ws["h"]]) == 0
    out = capsys.readouterr().out
    assert out.startswith("claim HOLDS") and "2.08 kgCO2e per declared unit is <= 2.5" in out
    assert main(["verify", str(evidence), "--json", *ws["h"]]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["valid"] is True and report["info"]["revealed"] == {"/pcf/pcfExcludingBiogenicUptake": "2.08"}
    bundle = json.loads(evidence.read_text())
    bundle["disclosure"]["revealed"]["/pcf/pcfExcludingBiogenicUptake"]["value"] = "1.50"
    evidence.write_text(json.dumps(bundle), encoding="utf-8")
    assert main(["verify", str(evidence), *ws["h"]]) == 1


def test_claim_on_undisclosed_field_is_not_disclosed(
    ws: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    claim = write_claim(tmp_path / "claim.json", metric="primary_data_share", comparison=">=", threshold="50")
    assert main(["claim", "check", claim, "--as", "bank", "--json", *ws["h"]]) == 1
    out = capsys.readouterr().out
    verdict = json.loads(out)
    assert verdict["outcome"] == "cannot_be_determined" and verdict["reasons"][0].startswith("not disclosed")
    assert "72.5" not in out


def test_revoked_declaration_as_of_after_revocation_does_not_hold(
    ws: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    claim = write_claim(tmp_path / "claim.json")
    assert main(["declare", "revoke", ws["id"], "--wallet", "acme-steel", "--reason", "data-error", *ws["h"]]) == 0
    capsys.readouterr()
    assert main(["claim", "check", claim, "--as", "bank", "--json", *ws["h"]]) == 1
    verdict = json.loads(capsys.readouterr().out)
    assert verdict["outcome"] == "cannot_be_determined"
    assert verdict["reasons"][0].startswith("no anchored current declaration")
    assert "revoked (data error)" in verdict["reasons"][1] and "before that date" in verdict["reasons"][1]


def test_claim_on_an_unknown_product_is_refused(
    ws: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    claim = write_claim(tmp_path / "claim.json", subject={"productId": "urn:tanji:acme-steel:unobtainium"})
    assert main(["claim", "check", claim, "--as", "bank", *ws["h"]]) == 3
    assert "urn:tanji:acme-steel:unobtainium" in capsys.readouterr().err
    malformed = write_claim(tmp_path / "bad.json", threshold="low")
    assert main(["claim", "check", malformed, "--as", "bank", *ws["h"]]) == 2
    assert "'low'" in capsys.readouterr().err


def test_flags_list_names_the_unanchored_factor_datasets(
    ws: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["flags", "list", "--json", *ws["h"]]) == 0
    found = json.loads(capsys.readouterr().out)
    unanchored = [item for item in found if item["code"] == "factor-dataset-not-anchored"]
    assert len(unanchored) == 2 and {item["declarationId"] for item in unanchored} == {ws["id"]}
    assert main(["flags", "list", "--product", "urn:tanji:nobody:nothing", *ws["h"]]) == 0
    assert capsys.readouterr().out.strip() == "no flags"
    assert main(["flags", "list", "--as", "bank", "--json", *ws["h"]]) == 0
    assert json.loads(capsys.readouterr().out) == []  # a disclosure recipient reads nothing in full


def test_as_of_places_a_revocation_between_the_ledgers_anchorings(
    ws: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Anchored at T1 (batch 1), a second batch at T2, then revoked: a date in [T1, T2) was before the revocation
    (holds), a date after T2 but before now cannot be placed (cannot be determined), tomorrow is after it."""
    payload = json.loads(EXAMPLE.read_text())
    payload["id"], payload["productIds"] = str(uuid.uuid4()), ["urn:tanji:acme-steel:plate"]
    (tmp_path / "plate.json").write_text(json.dumps(payload), encoding="utf-8")
    signed = str(tmp_path / "plate.signed.json")
    assert (
        main(["declare", "sign", str(tmp_path / "plate.json"), "--wallet", "acme-steel", "-o", signed, *ws["h"]]) == 0
    )
    assert main(["declare", "submit", signed, *ws["h"]]) == 0
    assert main(["anchor", "flush", *ws["h"]]) == 0
    assert main(["declare", "revoke", ws["id"], "--wallet", "acme-steel", "--reason", "misstatement", *ws["h"]]) == 0
    store = open_store(Settings(home=Path(ws["h"][1])))
    with store.sessions() as session:
        first, second = sorted(
            (batch.anchored_at.replace(tzinfo=UTC) for batch in session.exec(select(BatchRow)) if batch.anchored_at),
        )
    capsys.readouterr()
    between = first + (second - first) / 2
    assert (
        main(["claim", "check", write_claim(tmp_path / "a.json", asOf=between.isoformat()), "--as", "bank", *ws["h"]])
        == 0
    )
    later = second + timedelta(microseconds=1)
    assert (
        main(["claim", "check", write_claim(tmp_path / "b.json", asOf=later.isoformat()), "--as", "bank", *ws["h"]])
        == 1
    )
    assert "whether before that date is unknown" in capsys.readouterr().out
    assert main(["claim", "check", write_claim(tmp_path / "c.json"), "--as", "bank", *ws["h"]]) == 1
    assert "revoked (misstatement)" in capsys.readouterr().out
