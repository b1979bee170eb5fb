"""The migrations build exactly the schema the models describe, and unwind cleanly."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, inspect
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.db import create_engine
from storage.migrate import (
    current_revision_async,
    downgrade_database_async,
    head_revision,
    upgrade_database_async,
)
from storage.models import Base

APP_TABLES = {table.name for table in Base.metadata.sorted_tables}


async def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return set(await connection.run_sync(lambda c: inspect(c).get_table_names()))
    finally:
        await engine.dispose()


def _diff(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


async def test_upgrade_downgrade_upgrade(empty_database_url: str) -> None:
    url = empty_database_url
    assert await current_revision_async(url) is None

    await upgrade_database_async(url)
    assert await current_revision_async(url) == head_revision()
    assert APP_TABLES <= await _tables(url)

    await downgrade_database_async(url, "base")
    assert await current_revision_async(url) is None
    assert not (APP_TABLES & await _tables(url))

    await upgrade_database_async(url)
    assert await current_revision_async(url) == head_revision()
    assert APP_TABLES <= await _tables(url)


async def test_models_match_migrations(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        diff = await connection.run_sync(_diff)
    assert diff == []


async def test_upgrade_is_idempotent(database_url: str) -> None:
    await upgrade_database_async(database_url)
    assert await current_revision_async(database_url) == head_revision()
    assert head_revision() is not None
