"""SQLite must run in WAL mode with a busy timeout, or concurrent updates fail with 'locked'."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.db import SQLITE_BUSY_TIMEOUT_MS


@pytest.mark.parametrize("database_kind", ["sqlite"], indirect=True)
async def test_sqlite_pragmas(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        journal_mode = await connection.scalar(text("PRAGMA journal_mode"))
        busy_timeout = await connection.scalar(text("PRAGMA busy_timeout"))
        foreign_keys = await connection.scalar(text("PRAGMA foreign_keys"))
    assert journal_mode == "wal"
    assert busy_timeout == SQLITE_BUSY_TIMEOUT_MS == 5000
    assert foreign_keys == 1
