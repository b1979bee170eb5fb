"""SQLite must run in WAL mode with a busy timeout, or concurrent updates fail with 'locked';
the conversation-state writer's own connection keeps the engine's formats."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from storage.db import SQLITE_BUSY_TIMEOUT_MS, sqlite_file
from storage.repositories.fsm import FsmRepository, SqliteFsmWriter


@pytest.mark.parametrize("database_kind", ["sqlite"], indirect=True)
async def test_sqlite_pragmas(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        journal_mode = await connection.scalar(text("PRAGMA journal_mode"))
        busy_timeout = await connection.scalar(text("PRAGMA busy_timeout"))
        foreign_keys = await connection.scalar(text("PRAGMA foreign_keys"))
    assert journal_mode == "wal"
    assert busy_timeout == SQLITE_BUSY_TIMEOUT_MS == 5000
    assert foreign_keys == 1


@pytest.mark.parametrize("database_kind", ["sqlite"], indirect=True)
async def test_fsm_writer_rows_read_like_the_engines(
    database_url: str, session_factory: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    """Records written on the writer's own connection read back through SQLAlchemy the same,
    and their time sorts with the engine's (the purge of abandoned conversations uses it)."""
    path = sqlite_file(database_url)
    assert path is not None
    writer = SqliteFsmWriter(path)
    try:
        async with session_factory() as session:
            await FsmRepository(session).set_state("old", "Registration:phone")
            await session.commit()
        cutoff = dt.datetime.now(dt.UTC)
        await writer.put_many({
            "new": ("Registration:name", '{"name":"زهرا","tags":{"__fsm_type__":"set","v":[1]}}'),
            "gone": (None, '{"x":1}'),
        })
        await writer.put_many({"gone": (None, None)})
        async with session_factory() as session:
            repo = FsmRepository(session)
            new = await repo.get("new")
            assert new is not None and new.state == "Registration:name"
            assert new.data == {"name": "زهرا", "tags": {"__fsm_type__": "set", "v": [1]}}
            assert await repo.get("gone") is None
        async with session_factory() as session:
            assert await FsmRepository(session).purge_older_than(cutoff, limit=100) == 1
            await session.commit()
        async with session_factory() as session:
            repo = FsmRepository(session)
            assert await repo.get("old") is None and await repo.get("new") is not None
    finally:
        await writer.close()
    # A wrong path fails instead of leaving an empty database file behind.
    missing = SqliteFsmWriter(str(tmp_path / "missing.db"))
    with pytest.raises(sqlite3.OperationalError):
        await missing.put_many({"k": ("S", None)})
    await missing.close()
    assert not (tmp_path / "missing.db").exists()
