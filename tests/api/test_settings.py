"""api.settings is the one place that reads the environment, and it refuses malformed values with their name."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from api.cli.main import main
from api.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
# these hand the environment on to the child processes they start (a Hardhat/anvil node, timed CLI runs); they read no
# setting themselves
PASSES_ENVIRONMENT_ON = {"chain_tools/nodes.py", "api/bench/cli_startup.py"}


def _reads_environment(path: Path) -> bool:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "environb"):
            return True
        if isinstance(node, ast.Name) and node.id in ("environ", "getenv"):
            return True
    return False


def test_nothing_but_api_settings_reads_the_environment() -> None:
    readers = {
        str(path.relative_to(ROOT))
        for package in ("ledger", "chain_tools", "api")
        for path in (ROOT / package).rglob("*.py")
        if _reads_environment(path)
    }
    assert readers - PASSES_ENVIRONMENT_ON <= {"api/settings.py"}, readers


def test_every_setting_has_a_default_and_a_tanji_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in Settings.model_fields:
        monkeypatch.delenv(f"TANJI_{name.upper()}", raising=False)
    defaults = Settings()
    assert defaults.batch_size == 1000 and defaults.batch_max_age == 30.0 and defaults.database_url is None
    monkeypatch.setenv("TANJI_BATCH_SIZE", "7")
    monkeypatch.setenv("TANJI_HOME", "~/elsewhere")
    monkeypatch.setenv("TANJI_WALLET_PASSWORD", "s3cret-enough")
    read = Settings()
    assert read.batch_size == 7 and read.home == Path("~/elsewhere").expanduser()
    assert read.wallet_secret() == "s3cret-enough" and "s3cret" not in repr(read)


@pytest.mark.parametrize(
    ("variable", "value", "named"),
    [
        ("TANJI_BATCH_SIZE", "0", "TANJI_BATCH_SIZE"),
        ("TANJI_BATCH_SIZE", "many", "TANJI_BATCH_SIZE"),
        ("TANJI_BATCH_MAX_AGE", "-1", "TANJI_BATCH_MAX_AGE"),
        ("TANJI_DATABASE_URL", "mysql://x/y", "TANJI_DATABASE_URL"),
        ("TANJI_BATCH_URI_TEMPLATE", "ipfs://{cid}", "TANJI_BATCH_URI_TEMPLATE"),
    ],
)
def test_a_malformed_setting_is_one_line_naming_the_variable(variable: str, value: str, named: str) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "api.cli.main", "wallet", "list", "--home", "/nonexistent"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", variable: value},
        timeout=120,
    )
    assert out.returncode == 2, out.stderr
    assert out.stderr.startswith("error: invalid setting:") and named in out.stderr and "Traceback" not in out.stderr


def test_the_home_flag_overrides_tanji_home(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from api.settings import get_settings

    monkeypatch.setenv("TANJI_HOME", str(tmp_path / "from-env"))
    get_settings.cache_clear()
    try:
        assert main(["wallet", "list", "--home", str(tmp_path / "from-flag"), "--json"]) == 0
        assert main(["chain", "status", "--home", str(tmp_path / "from-flag")]) == 3
        assert str(tmp_path / "from-flag") in capsys.readouterr().err
    finally:
        get_settings.cache_clear()
