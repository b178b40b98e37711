"""Engines and migrations: SQLite (WAL, foreign keys, busy timeout) or PostgreSQL (psycopg 3)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event, make_url
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import create_engine

from ledger.errors import LedgerDatabaseError, LedgerDatabaseMissingError
from ledger.private_files import private_database

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def database_url(workspace: Path, configured: str | None = None) -> str:
    """The `configured` URL (TANJI_DATABASE_URL), or the workspace's SQLite file."""
    return configured or f"sqlite:///{workspace / 'tanji.sqlite3'}"


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets WAL journaling, foreign keys and a 30 s busy timeout, and a file made 0600."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite"):
        _private_sqlite_file(url)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def _private_sqlite_file(url: str) -> None:
    """Create the SQLite file of `url` 0600 (its -wal and -shm follow); refuse a missing directory (no workspace)."""
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    if not path.parent.is_dir():
        raise LedgerDatabaseMissingError(
            f"cannot open the ledger database {path}: the directory {path.parent} does not exist; check --home or "
            "TANJI_HOME (or TANJI_DATABASE_URL), or create the workspace with `tanji init`"
        )
    private_database(path)


def check_readable(engine: Engine) -> None:
    """Open the database once; LedgerDatabaseError naming it and the remedy when it is not a database (any more)."""
    try:
        with engine.connect() as connection:
            if engine.dialect.name == "sqlite":
                connection.exec_driver_sql("PRAGMA schema_version").fetchall()
    except DBAPIError as exc:
        where = engine.url.database if engine.dialect.name == "sqlite" else engine.url.render_as_string()
        if engine.dialect.name == "sqlite" and not isinstance(exc, OperationalError):
            remedy = "it is not a SQLite database, or it is damaged; restore it from a backup (see docs/operations.md)"
        else:
            remedy = "check that it exists, is reachable and can be written"
        raise LedgerDatabaseError(f"cannot open the ledger database {where}: {exc.orig}; {remedy}") from exc


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision (after checking that the database opens)."""
    from alembic import command
    from alembic.config import Config

    check_readable(engine)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
