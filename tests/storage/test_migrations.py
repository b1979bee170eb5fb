"""The migrations build exactly the schema the models describe, and each one unwinds cleanly."""

from __future__ import annotations

from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import Script, ScriptDirectory
from sqlalchemy import Connection, inspect
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.db import create_engine
from storage.migrate import (
    alembic_config,
    current_revision_async,
    downgrade_database_async,
    head_revision,
    upgrade_database_async,
)
from storage.models import Base

APP_TABLES = {table.name for table in Base.metadata.sorted_tables}
# Oldest first: each revision's step of the stairway starts where the one before it ends.
REVISIONS: list[Script] = list(
    reversed(list(ScriptDirectory.from_config(alembic_config("")).walk_revisions()))
)


async def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return set(await connection.run_sync(lambda c: inspect(c).get_table_names()))
    finally:
        await engine.dispose()


Schema = dict[str, tuple[list[str], list[str], list[str]]]


def _inspect_schema(connection: Connection) -> Schema:
    inspector = inspect(connection)
    return {
        table: (
            sorted(str(column["name"]) for column in inspector.get_columns(table)),
            sorted(str(index["name"]) for index in inspector.get_indexes(table)),
            sorted(str(key["name"]) for key in inspector.get_foreign_keys(table)),
        )
        for table in inspector.get_table_names()
        if table != "alembic_version"  # Alembic's own, left behind at base: checked by revision
    }


async def _schema(url: str) -> Schema:
    """Tables with their columns, indexes and foreign keys, by name."""
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(_inspect_schema)
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


# Revisions that only rewrite rows (search terms rebuilt with today's rules, say).
DATA_REVISIONS = {"0004_search_stems"}


@pytest.mark.parametrize("revision", REVISIONS, ids=[script.revision for script in REVISIONS])
async def test_stairway(empty_database_url: str, revision: Script) -> None:
    """Up to this revision, down one step, up again: the step down restores exactly the schema
    the revision found, and the step up again builds exactly what it built the first time."""
    url = empty_database_url
    previous = revision.down_revision
    assert previous is None or isinstance(previous, str), "merge revisions need their own stairs"
    if previous is not None:
        await upgrade_database_async(url, previous)
    before = await _schema(url)

    await upgrade_database_async(url, revision.revision)
    assert await current_revision_async(url) == revision.revision
    after = await _schema(url)
    # A schema revision changes the schema; a data revision (it rewrites rows) leaves it as is.
    assert (after == before) == (revision.revision in DATA_REVISIONS)

    await downgrade_database_async(url, previous or "base")
    assert await current_revision_async(url) == previous
    assert await _schema(url) == before

    await upgrade_database_async(url, revision.revision)
    assert await current_revision_async(url) == revision.revision
    assert await _schema(url) == after


def test_stairway_walks_every_revision_from_base_to_head() -> None:
    assert [script.down_revision for script in REVISIONS][:1] == [None]
    assert [script.revision for script in REVISIONS[:-1]] == [
        script.down_revision for script in REVISIONS[1:]
    ]
    assert REVISIONS[-1].revision == head_revision()


async def test_models_match_migrations(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        diff = await connection.run_sync(_diff)
    assert diff == []


async def test_upgrade_is_idempotent(database_url: str) -> None:
    await upgrade_database_async(database_url)
    assert await current_revision_async(database_url) == head_revision()
    assert head_revision() is not None
