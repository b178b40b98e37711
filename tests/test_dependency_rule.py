"""The dependency rule: which package may import what (absolute, relative, lazy and dynamic imports alike).

    api            may import everything; nothing outside api (but tests/api and tests/security) imports api
    chain_tools    web3/solc/py-evm and the ledger core (ports, codes, signing); no store, no services, no web app
    ledger.service the ledger core and ledger.storage; reaches the chain only through ledger.chain_port
    ledger.storage the ledger core and the database libraries
    ledger (core)  pure: numpy/scipy/networkx/pint/eth-account; no database, no chain client, no web app

The checker is a function of a source tree, so `test_the_checker_finds_every_kind_of_forbidden_import` can prove on a
made-up tree that it sees each way a layer can be broken.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WEB = ("fastapi", "starlette", "uvicorn", "jinja2", "httpx", "multipart", "siwe")
CHAIN_CLIENTS = ("web3", "solcx", "eth_tester", "eth")  # eth: py-evm
DATABASE = ("sqlmodel", "sqlalchemy", "alembic", "psycopg")


@dataclass(frozen=True)
class Layer:
    """Files under `prefix` (a dotted module prefix) may not import any of `forbidden`."""

    prefix: str
    forbidden: tuple[str, ...]
    exempt: tuple[str, ...] = ()  # sub-packages with a rule of their own

    def covers(self, module: str) -> bool:
        inside = module == self.prefix or module.startswith(self.prefix + ".")
        return inside and not any(module == e or module.startswith(e + ".") for e in self.exempt)


LAYERS = (
    Layer(
        "ledger",
        (
            *WEB,
            *CHAIN_CLIENTS,
            *DATABASE,
            "chain_tools",
            "api",
            "ledger.storage",
            "ledger.service",
            "pydantic_settings",
        ),
        exempt=("ledger.storage", "ledger.service"),
    ),
    Layer("ledger.storage", (*WEB, *CHAIN_CLIENTS, "chain_tools", "api", "ledger.service", "pydantic_settings")),
    Layer("ledger.service", (*WEB, *CHAIN_CLIENTS, "chain_tools", "api", "pydantic_settings")),
    Layer("chain_tools", (*WEB, *DATABASE, "api", "ledger.storage", "ledger.service", "pydantic_settings")),
    # these attack through the CLI, the HTTP API and the web pages
    Layer("tests", ("api",), exempt=("tests.api", "tests.http", "tests.security", "tests.web")),
)


def module_name(path: Path, root: Path) -> str:
    """Dotted module name of a file under `root` (a package's __init__ is the package)."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, root: Path) -> set[str]:
    """Every module the file imports: absolute or relative, at any depth, and literal importlib/__import__ calls."""
    this = module_name(path, root)
    package = this if path.name == "__init__.py" else this.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            names.add(target)
            names.update(f"{target}.{alias.name}" for alias in node.names)  # `from ledger import service`
        elif isinstance(node, ast.Call) and _is_dynamic_import(node) and node.args:
            argument = node.args[0]
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                names.add(argument.value)
    return names


def _is_dynamic_import(node: ast.Call) -> bool:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id in ("__import__", "import_module")
    return isinstance(func, ast.Attribute) and func.attr == "import_module"


def matches(module: str, forbidden: tuple[str, ...]) -> bool:
    """True when `module` is one of `forbidden` or inside one of them."""
    return any(module == name or module.startswith(name + ".") for name in forbidden)


def violations(root: Path) -> list[str]:
    """`file: imports module` for every import that breaks a layer's rule in the tree at `root`."""
    found = []
    for path in sorted(root.rglob("*.py")):
        if any(part in (".venv", "node_modules", "build") for part in path.relative_to(root).parts):
            continue
        this = module_name(path, root)
        layers = [layer for layer in LAYERS if layer.covers(this)]
        for layer in layers:
            bad = {module for module in imported_modules(path, root) if matches(module, layer.forbidden)}
            for module in sorted(m for m in bad if not any(m.startswith(other + ".") for other in bad)):
                found.append(f"{path.relative_to(root)}: imports {module} (forbidden in {layer.prefix})")
    return found


def test_every_package_keeps_to_its_layer() -> None:
    assert violations(ROOT) == []


@pytest.mark.parametrize(
    ("relative_path", "source"),
    [
        ("chain_tools/bench.py", "from ledger.service import ingest\n"),
        ("chain_tools/store.py", "def f():\n    import sqlmodel\n"),
        ("ledger/rollup/x.py", "from ..storage import repository\n"),
        ("ledger/graph/y.py", "from .. import service\n"),
        ("ledger/service/z.py", "import importlib\nweb3 = importlib.import_module('web3')\n"),
        ("ledger/storage/w.py", "from ...api.compose import open_ledger\n"),
        ("ledger/core.py", "fastapi = __import__('fastapi')\n"),
        ("tests/service/test_x.py", "from api.cli.main import main\n"),
    ],
)
def test_the_checker_finds_every_kind_of_forbidden_import(tmp_path: Path, relative_path: str, source: str) -> None:
    for package in ("ledger", "ledger/rollup", "ledger/graph", "ledger/service", "ledger/storage", "chain_tools"):
        (tmp_path / package).mkdir(parents=True, exist_ok=True)
        (tmp_path / package / "__init__.py").write_text("")
    target = tmp_path / relative_path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(source)
    found = violations(tmp_path)
    assert len(found) == 1 and found[0].startswith(relative_path), found


def test_allowed_imports_pass_the_checker(tmp_path: Path) -> None:
    (tmp_path / "ledger" / "service").mkdir(parents=True)
    (tmp_path / "chain_tools").mkdir()
    (tmp_path / "api").mkdir()
    (tmp_path / "ledger" / "service" / "ok.py").write_text("import sqlmodel\nfrom ..storage import repository\n")
    (tmp_path / "chain_tools" / "ok.py").write_text("import web3\nfrom ledger.chain_port import ChainPort\n")
    (tmp_path / "api" / "ok.py").write_text("import fastapi\nfrom ledger.service import ingest\n")
    assert violations(tmp_path) == []


def test_relative_imports_resolve_against_the_package() -> None:
    sample = ROOT / "ledger" / "service" / "ingest.py"
    names = imported_modules(sample, ROOT)
    assert "ledger.storage.tables" in names and "sqlmodel" in names
