"""The Alembic migration builds exactly the schema the SQLModel tables describe, on SQLite and PostgreSQL."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from typing import Any

from sqlalchemy import inspect

import ledger.storage
from ledger.storage.engine import migrate

STORAGE = Path(ledger.storage.__file__).parent
TABLE_MODULES = sorted(
    info.name
    for info in pkgutil.iter_modules([str(STORAGE)])
    if "table=True" in (STORAGE / f"{info.name}.py").read_text(encoding="utf-8")
)
for _name in TABLE_MODULES:  # every module defining tables registers them in SQLModel.metadata, run alone or not
    importlib.import_module(f"ledger.storage.{_name}")


def test_every_table_module_is_compared() -> None:
    assert {"tables", "pact_tables"} <= set(TABLE_MODULES)


def test_migrations_create_every_table_and_column(engine: Any) -> None:
    from sqlmodel import SQLModel

    migrate(engine)  # a second run changes nothing
    inspector = inspect(engine)
    for table in SQLModel.metadata.sorted_tables:
        columns = {column["name"] for column in inspector.get_columns(table.name)}
        assert columns == {column.name for column in table.columns}, table.name
    assert inspector.get_unique_constraints("declarations")[0]["column_names"] == ["declarant", "nonce"]


def test_migrated_schema_matches_the_models_exactly(engine: Any) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert diff == [], f"models and migrations disagree: {diff}; add an Alembic revision"
