"""The Alembic migration builds exactly the schema the SQLModel tables describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect

from ledger.storage import audit_tables, pact_tables, tables  # noqa: F401 - registers the tables in SQLModel.metadata
from ledger.storage.engine import migrate


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
