"""The dependency rule.

- No ledger module imports fastapi, web3, chain_tools or api: the ledger reaches the chain through ledger.ports.
- The ledger *core* (everything but ledger/storage and ledger/service) imports no sqlmodel/SQLAlchemy either,
  nor the storage or service packages.
- Nothing outside api imports api.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NEVER_IN_LEDGER = ("fastapi", "starlette", "web3", "chain_tools", "api", "uvicorn")
NEVER_IN_CORE = ("sqlmodel", "sqlalchemy", "alembic", "psycopg", "ledger.storage", "ledger.service")
ADAPTER_DIRS = (ROOT / "ledger" / "storage", ROOT / "ledger" / "service")


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


def matches(module: str, forbidden: tuple[str, ...]) -> bool:
    return any(module == name or module.startswith(name + ".") for name in forbidden)


LEDGER_FILES = python_files("ledger")
CORE_FILES = [path for path in LEDGER_FILES if not any(d in path.parents for d in ADAPTER_DIRS)]


@pytest.mark.parametrize("path", LEDGER_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_ledger_imports_no_web_framework_chain_library_or_api(path: Path) -> None:
    offending = {m for m in imported_modules(path) if matches(m, NEVER_IN_LEDGER)}
    assert not offending, f"{path.relative_to(ROOT)} imports {sorted(offending)}; use ledger.ports instead"


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_ledger_core_imports_no_database_layer(path: Path) -> None:
    offending = {m for m in imported_modules(path) if matches(m, NEVER_IN_CORE)}
    assert not offending, f"{path.relative_to(ROOT)} imports {sorted(offending)}; the core must stay pure"


NON_API_FILES = (
    LEDGER_FILES
    + python_files("chain_tools")
    + [p for p in python_files("tests") if (ROOT / "tests" / "api") not in p.parents]
)


@pytest.mark.parametrize("path", NON_API_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_nothing_outside_api_imports_api(path: Path) -> None:
    offending = {m for m in imported_modules(path) if matches(m, ("api",))}
    assert not offending, f"{path.relative_to(ROOT)} imports {sorted(offending)}; nothing may import api"


def test_the_rule_checker_sees_lazy_imports(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from web3 import Web3\n    import fastapi.routing\n", encoding="utf-8")
    assert imported_modules(sample) == {"web3", "fastapi.routing"}
    assert matches("fastapi.routing", NEVER_IN_LEDGER) and not matches("apis", ("api",))
