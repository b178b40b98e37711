"""`tanji factors import|list|show|anchor` from the command line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.cli.main import main
from api.settings import get_settings

CSV = """# name: grid
# version: 1
id,value,unit,gas_basis,scope,geography,year,source_title,source_publisher,source_date,source_url,licence
lca-grid,0.6205,kWh,CO2e,life-cycle,CN,2023,Announcement,MEE,2025-01-17,https://example.org/b,public
"""


@pytest.fixture(autouse=True)
def fresh_settings() -> Iterator[None]:
    """Settings are cached per process: read them afresh, and leave none cached for the next test module."""
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_import_list_and_show_a_csv_dataset(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = ("--home", str(tmp_path / "ws"))
    (tmp_path / "grid.csv").write_text(CSV, encoding="utf-8")
    assert main(["factors", "import", str(tmp_path / "grid.csv"), "--json", *home]) == 0
    imported = json.loads(capsys.readouterr().out)
    assert imported["name"] == "grid" and imported["status"] == "imported" and imported["blockNumber"] is None
    assert main(["factors", "list", "--json", *home]) == 0
    assert [d["datasetHash"] for d in json.loads(capsys.readouterr().out)] == [imported["datasetHash"]]
    assert main(["factors", "show", "lca-grid@1", *home]) == 0
    shown = capsys.readouterr().out
    assert "lca-grid@1: 0.6205 kgCO2e/kWh (CO2e, life-cycle, CN, 2023)" in shown and "https://example.org/b" in shown


def test_a_malformed_file_exits_2_naming_row_and_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "bad.csv").write_text(CSV.replace("0.6205", "n/a"), encoding="utf-8")
    assert main(["factors", "import", str(tmp_path / "bad.csv"), "--home", str(tmp_path / "ws")]) == 2
    assert "row 4, column 'value': 'n/a' is not a decimal number" in capsys.readouterr().err
    assert not (tmp_path / "ws").exists()  # refused before anything was written
    assert main(["factors", "list", "--home", str(tmp_path / "ws")]) == 3
    assert "no workspace at" in capsys.readouterr().err


def test_the_shipped_dataset_imports_and_anchors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = ("--home", str(tmp_path / "ws"))
    assert main(["init", *home]) == 0
    capsys.readouterr()
    assert main(["factors", "import", "--shipped", "--anchor", "--json", *home]) == 0
    anchored = json.loads(capsys.readouterr().out)
    assert anchored["status"] == "anchored" and anchored["blockNumber"] > 0 and anchored["txHash"].startswith("0x")
    assert anchored["metadataUri"] == "tanji:factor-dataset:cn-electricity-and-fuels@2026.1"
    assert main(["factors", "anchor", "cn-electricity-and-fuels@2026.1", "--json", *home]) == 0
    assert json.loads(capsys.readouterr().out)["blockNumber"] == anchored["blockNumber"]
