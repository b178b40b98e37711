"""Fast CLI fixtures: each prepared workspace (init, wallets, members, signed and anchored declarations) is built
once per session by running the CLI in-process, then copied into every test's tmp_path.

A copy is the full state the CLI would have left: config, keystores, wallets, the embedded chain database and
the Tanji database, plus the files the set-up wrote beside the workspace. Tests therefore never share state,
and each test still runs its own commands end to end through `main([...])`.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from factories import EXAMPLE

from api.cli.main import main

PASSWORD = "correct horse battery"
Builder = Callable[[Path, "InProcessCli"], None]


class InProcessCli:
    """Runs `tanji` commands in-process for building prepared workspaces (every command must succeed)."""

    def ok(self, *argv: str) -> None:
        """Run one command; it must exit 0 (its output is dropped)."""
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = main(list(argv))
        assert code == 0, f"tanji {' '.join(argv)} exited {code}: {out.getvalue()}"

    def json(self, *argv: str) -> Any:
        """Run one `--json` command; it must exit 0; return its parsed output."""
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = main(list(argv))
        assert code == 0, f"tanji {' '.join(argv)} exited {code}: {out.getvalue()}"
        return json.loads(out.getvalue())

    def add_member_with_wallet(self, h: tuple[str, str], org: str, role: str, *, wallet: str | None = None) -> None:
        """Create a wallet (named `wallet`, default `org`) and register organization `org` with `role` and its
        key, as a user would: wallet new, wallet list, member add."""
        wallet = wallet or org
        self.ok("wallet", "new", wallet, *h)
        address = next(w["address"] for w in self.json("wallet", "list", "--json", *h) if w["name"] == wallet)
        self.ok("member", "add", org, "--role", role, "--address", address, *h)


class WorkspaceTemplates:
    """Prepared directories, built on first use and kept for the session."""

    def __init__(self, factory: pytest.TempPathFactory) -> None:
        self.factory = factory
        self.built: dict[str, Path] = {}

    def copy_into(self, name: str, build: Builder, target: Path) -> None:
        """Copy template `name` into `target`, building it first (with `build`, in an empty directory) if new."""
        if name not in self.built:
            directory = self.factory.mktemp(f"cli-template-{name}")
            with pytest.MonkeyPatch.context() as patch:
                patch.setenv("TANJI_WALLET_PASSWORD", PASSWORD)
                build(directory, InProcessCli())
            self.built[name] = directory
        shutil.copytree(self.built[name], target, dirs_exist_ok=True, ignore=shutil.ignore_patterns("chain.lock"))


@pytest.fixture(scope="session")
def workspace_templates(tmp_path_factory: pytest.TempPathFactory) -> WorkspaceTemplates:
    """The session's prepared CLI workspaces."""
    return WorkspaceTemplates(tmp_path_factory)


CopyTemplate = Callable[[str, Builder], None]


@pytest.fixture
def cli_copy(workspace_templates: WorkspaceTemplates, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CopyTemplate:
    """`cli_copy(name, build)` copies prepared workspace `name` into this test's tmp_path; the wallet password is
    set for the test, as the workspace was built with it."""
    monkeypatch.setenv("TANJI_WALLET_PASSWORD", PASSWORD)

    def copy_template(name: str, build: Builder) -> None:
        workspace_templates.copy_into(name, build, tmp_path)

    return copy_template


def build_initialised(root: Path, cli: InProcessCli) -> None:
    """`tanji init` in root/tanji."""
    cli.ok("init", "--home", str(root / "tanji"))


def build_signed_declaration(root: Path, cli: InProcessCli) -> None:
    """root/tanji: init, wallet acme-key of supplier acme-steel; root/hrc.signed.json: the example, signed."""
    h = ("--home", str(root / "tanji"))
    cli.ok("init", *h)
    cli.add_member_with_wallet(h, "acme-steel", "supplier", wallet="acme-key")
    cli.ok("declare", "sign", str(EXAMPLE), "--wallet", "acme-key", "-o", str(root / "hrc.signed.json"), *h)


def build_anchored_for_labels(root: Path, cli: InProcessCli) -> None:
    """root/ws: a supplier, certifier, auditor and regulator with wallets; the example signed, submitted and
    anchored; root/report.pdf: a verification report."""
    h = ("--home", str(root / "ws"))
    cli.ok("init", *h)
    for org, role in (("acme-steel", "supplier"), ("cqc", "certifier"), ("audit-co", "auditor"), ("samr", "regulator")):
        cli.add_member_with_wallet(h, org, role)
    cli.ok("declare", "sign", str(EXAMPLE), "--wallet", "acme-steel", "-o", str(root / "s.json"), *h)
    cli.ok("declare", "submit", str(root / "s.json"), *h)
    cli.ok("anchor", "flush", *h)
    (root / "report.pdf").write_bytes(b"%PDF verification report")


@pytest.fixture
def initialised_home(cli_copy: CopyTemplate, tmp_path: Path) -> Path:
    """tmp_path/tanji: a workspace right after `tanji init`."""
    cli_copy("initialised", build_initialised)
    return tmp_path / "tanji"


@pytest.fixture
def signed_declaration_workspace(cli_copy: CopyTemplate, tmp_path: Path) -> Path:
    """tmp_path/tanji with supplier acme-steel (wallet acme-key); tmp_path/hrc.signed.json signed by it."""
    cli_copy("signed-declaration", build_signed_declaration)
    return tmp_path / "tanji"


@pytest.fixture
def anchored_for_labels_workspace(cli_copy: CopyTemplate, tmp_path: Path) -> Path:
    """tmp_path/ws with a supplier, certifier, auditor and regulator and the example anchored."""
    cli_copy("anchored-for-labels", build_anchored_for_labels)
    return tmp_path / "ws"
