"""A 200 KB file of 100,000 nested arrays used to kill `tanji verify` and `tanji declare submit` with a segfault.

py_ecc (imported through eth_account) raises Python's recursion limit to 100,000, so json.loads overflowed the C
stack. Run the real CLI in a subprocess over a real workspace (so `declare submit` gets as far as reading the
envelope): a crash would show as a negative return code (the signal).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from api.cli.main import main
from api.errors import INVALID

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    workspace = tmp_path_factory.mktemp("nesting") / "tanji"
    assert main(["--home", str(workspace), "init"]) == 0
    return workspace


@pytest.fixture
def bomb(tmp_path: Path) -> Path:
    path = tmp_path / "nested.json"
    path.write_bytes(b"[" * 100_000 + b"]" * 100_000)
    return path


@pytest.mark.parametrize("command", [["verify"], ["declare", "submit"]], ids=" ".join)
def test_deeply_nested_file_gives_one_clear_error_not_a_segfault(command: list[str], bomb: Path, home: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "api.cli.main", *command, str(bomb), "--home", str(home)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == INVALID.exit_code, (run.returncode, run.stderr[-500:])
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert str(bomb) in lines[0] and "100000 levels" in lines[0] and "limit of 64" in lines[0]
    assert "unexpected" not in lines[0]
