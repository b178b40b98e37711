"""A careless operator's mistakes: missing files and directories, damaged or deleted databases, readable databases.

Each gives one line naming the file and a remedy (never "unexpected ... (a Tanji bug)"), with the exit code of its
kind in api.errors; a deleted or replaced chain database is refused, never silently re-created.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from factories import EXAMPLE

from api.cli.common import known_error
from api.cli.main import main
from api.errors import BROKEN, INVALID, NOT_ALLOWED, NOT_FOUND, FileDeniedError, response_for

PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One initialised workspace with a wallet, copied for every test (init deploys a chain: ~10 s)."""
    from api.settings import get_settings

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TANJI_WALLET_PASSWORD", PASSWORD)
        get_settings.cache_clear()
        workspace = tmp_path_factory.mktemp("files") / "tanji"
        assert main(["--home", str(workspace), "init"]) == 0
        assert main(["--home", str(workspace), "wallet", "new", "acme-key"]) == 0
        yield workspace
    get_settings.cache_clear()


@pytest.fixture
def home(pristine: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from api.settings import get_settings

    monkeypatch.setenv("TANJI_WALLET_PASSWORD", PASSWORD)
    get_settings.cache_clear()
    copy = tmp_path / "tanji"
    shutil.copytree(pristine, copy)
    return copy


def one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1, lines
    assert "unexpected" not in lines[0] and "Tanji bug" not in lines[0], lines[0]
    return lines[0]


def test_missing_input_file_is_named_not_a_tanji_bug(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "absent.signed.json"
    h = ["--home", str(home)]
    for command in (
        ["verify", str(missing)],
        ["declare", "submit", str(missing)],
        ["declare", "convert", str(missing), "-o", str(tmp_path / "o.json")],
    ):
        assert main([*command, *h]) == NOT_FOUND.exit_code, command
        line = one_error_line(capsys)
        assert str(missing) in line and "no such file; check the path" in line


def test_missing_output_directory_is_named_with_a_remedy(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "not-made" / "hrc.signed.json"
    command = ["declare", "sign", str(EXAMPLE), "--wallet", "acme-key", "--org", "acme-steel", "-o", str(output)]
    assert main([*command, "--home", str(home)]) == NOT_FOUND.exit_code
    line = one_error_line(capsys)
    assert f"the directory {output.parent} does not exist" in line and f"mkdir -p {output.parent}" in line


def test_directory_given_as_input_file_is_named(home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "declarations.json"
    folder.mkdir()
    assert main(["declare", "submit", str(folder), "--home", str(home)]) == INVALID.exit_code
    assert f"{folder} is a directory; name a file" in one_error_line(capsys)


def test_permission_denied_is_told_with_the_file_and_remedy() -> None:
    """Tests run as root here, where chmod 000 denies nothing: the boundary translation is checked directly."""
    error = known_error(PermissionError(13, "Permission denied", "/srv/tanji/hrc.json"))
    assert isinstance(error, FileDeniedError) and response_for(error) is NOT_ALLOWED
    assert "/srv/tanji/hrc.json: permission denied" in str(error) and "ls -l" in str(error)


def test_missing_workspace_names_the_directory_and_tanji_init(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    nowhere = tmp_path / "no-workspace"
    assert main(["chain", "status", "--home", str(nowhere)]) == NOT_FOUND.exit_code
    line = one_error_line(capsys)
    assert f"no Tanji workspace at {nowhere}" in line and "tanji init" in line
    assert main(["declare", "show", "some-id", "--as", "acme", "--home", str(nowhere)]) == NOT_FOUND.exit_code
    line = one_error_line(capsys)
    assert f"the directory {nowhere} does not exist" in line and "tanji init" in line
    assert not nowhere.exists()  # nothing half-created


def test_corrupt_ledger_database_is_named_with_a_remedy(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    database = home / "tanji.sqlite3"
    garbage = os.urandom(8192)
    database.write_bytes(garbage)
    assert main(["declare", "show", "some-id", "--as", "acme", "--home", str(home)]) == BROKEN.exit_code
    line = one_error_line(capsys)
    assert str(database) in line and "not a database" in line and "restore it from a backup" in line
    assert database.read_bytes() == garbage  # left as found, for whoever investigates


def test_corrupt_chain_database_is_named_and_not_replaced(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    database = home / "chain" / "chain.sqlite3"
    garbage = os.urandom(8192)
    database.write_bytes(garbage)
    assert main(["chain", "status", "--home", str(home)]) == BROKEN.exit_code
    line = one_error_line(capsys)
    assert str(database) in line and "damaged" in line and "restore it from a backup" in line
    assert database.read_bytes() == garbage


@pytest.mark.parametrize("damage", ["deleted", "emptied"])
def test_deleted_chain_database_is_refused_not_silently_recreated(
    damage: str, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = home / "chain" / "chain.sqlite3"
    backup = database.read_bytes()
    if damage == "deleted":
        database.unlink()
    else:
        database.write_bytes(b"")
    assert main(["chain", "status", "--home", str(home)]) == BROKEN.exit_code
    line = one_error_line(capsys)
    assert str(database) in line and "missing or empty" in line
    assert "Restore it from a backup" in line and f"move {home} aside and run `tanji init`" in line
    assert not database.exists() or database.stat().st_size == 0  # no new empty chain in its place
    database.write_bytes(backup)  # restoring the backup is the documented remedy, and it works
    assert main(["chain", "status", "--home", str(home)]) == 0


def test_chain_database_replaced_by_another_chain_is_refused(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from chain_tools.embedded import EmbeddedChain

    database = home / "chain" / "chain.sqlite3"
    database.unlink()
    EmbeddedChain(home / "chain").close()  # a fresh chain with its own genesis: none of the deployed contracts
    assert main(["chain", "status", "--home", str(home)]) == BROKEN.exit_code
    line = one_error_line(capsys)
    assert "does not hold this workspace's ledger contract" in line and "Restore it from a backup" in line


def modes(*paths: Path) -> dict[str, int]:
    return {path.name: stat.S_IMODE(path.stat().st_mode) for path in paths}


def test_workspace_databases_are_created_owner_only_whatever_the_umask(tmp_path: Path) -> None:
    from chain_tools.embedded import EmbeddedChain
    from ledger.storage.engine import database_url, make_engine, migrate

    previous = os.umask(0)  # a permissive umask must not leave the databases world-readable
    try:
        engine = make_engine(database_url(tmp_path))
        migrate(engine)
        chain = EmbeddedChain(tmp_path / "chain")
        with engine.connect() as connection:  # -wal and -shm exist while a connection is open
            connection.exec_driver_sql("SELECT 1")
            ledger = tmp_path / "tanji.sqlite3"
            files = [ledger, ledger.with_name("tanji.sqlite3-wal"), ledger.with_name("tanji.sqlite3-shm")]
            chain_db = tmp_path / "chain" / "chain.sqlite3"
            files += [chain_db, chain_db.with_name("chain.sqlite3-wal"), chain_db.with_name("chain.sqlite3-shm")]
            found = modes(*files)
        chain.close()
        engine.dispose()
    finally:
        os.umask(previous)
    assert found == {path.name: 0o600 for path in files}


def test_world_readable_database_of_an_older_workspace_is_tightened_on_open(tmp_path: Path) -> None:
    import sqlite3

    from ledger.storage.engine import database_url, make_engine

    database = tmp_path / "tanji.sqlite3"
    sqlite3.connect(database).close()  # as an older Tanji left it
    database.chmod(0o644)
    make_engine(database_url(tmp_path)).dispose()
    assert modes(database) == {"tanji.sqlite3": 0o600}


def test_databases_of_a_new_workspace_are_owner_only(home: Path) -> None:
    assert main(["declare", "show", "some-id", "--as", "acme", "--home", str(home)]) == NOT_FOUND.exit_code
    assert modes(home / "tanji.sqlite3", home / "chain" / "chain.sqlite3") == {
        "tanji.sqlite3": 0o600,
        "chain.sqlite3": 0o600,
    }
