"""The dependency rule: the ledger core imports no fastapi/sqlmodel/web3, and nothing imports api."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN_IN_LEDGER = ("fastapi", "sqlmodel", "web3", "starlette", "sqlalchemy")


def imported_modules(path: Path) -> set[str]:
    """Return every module name imported by the file at `path` (any depth, lazy imports included)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def python_files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("path", python_files("ledger"), ids=lambda p: str(p.relative_to(ROOT)))
def test_ledger_core_imports_no_web_db_or_chain_library(path: Path) -> None:
    offending = {m for m in imported_modules(path) if m.split(".")[0] in FORBIDDEN_IN_LEDGER}
    assert not offending, f"{path.relative_to(ROOT)} imports {sorted(offending)}; the ledger core must stay pure"


NON_API_FILES = (
    python_files("ledger")
    + python_files("chain_tools")
    + [path for path in python_files("tests") if (ROOT / "tests" / "api") not in path.parents]
)


@pytest.mark.parametrize("path", NON_API_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_nothing_outside_api_imports_api(path: Path) -> None:
    offending = {m for m in imported_modules(path) if m == "api" or m.startswith("api.")}
    assert not offending, f"{path.relative_to(ROOT)} imports {sorted(offending)}; nothing may import api"


def test_the_rule_checker_sees_lazy_imports(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from web3 import Web3\n    import fastapi.routing\n", encoding="utf-8")
    assert imported_modules(sample) == {"web3", "fastapi.routing"}
