"""PostgreSQL connections are pinged only after sitting idle in the pool (storage.db.ping_if_idle):
a dead idle one is replaced before use; a dead one used at once fails that session only. Read
sessions (storage.db.read_sessions) run in autocommit there."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
import sqlalchemy.exc
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from storage.db import create_session_factory, ping_if_idle, read_sessions


@asynccontextmanager
async def _engines(
    database_url: str, database_kind: str, idle_seconds: float
) -> AsyncIterator[tuple[AsyncEngine, AsyncEngine]]:
    """The engine under test (one pooled connection, pinged after `idle_seconds`) and another
    to terminate its connection from."""
    if database_kind != "postgresql":
        pytest.skip("a SQLite file has no server connection to lose")
    engine = create_async_engine(database_url, pool_size=1, max_overflow=0)
    ping_if_idle(engine, idle_seconds)
    other = create_async_engine(database_url)
    try:
        yield engine, other
    finally:
        await engine.dispose()
        await other.dispose()


async def _backend_pid(engine: AsyncEngine) -> int:
    async with create_session_factory(engine)() as session:
        return int((await session.execute(text("SELECT pg_backend_pid()"))).scalar_one())


async def _terminate(engine: AsyncEngine, pid: int) -> None:
    # From a connection of its own, outside the pool under test.
    async with engine.connect() as connection:
        await connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})


async def test_an_idle_dead_connection_is_replaced_before_use(
    database_url: str, database_kind: str
) -> None:
    async with _engines(database_url, database_kind, idle_seconds=0.05) as (engine, other):
        first = await _backend_pid(engine)
        await _terminate(other, first)
        await asyncio.sleep(0.1)  # idle past the limit: pinged, found dead, replaced
        assert await _backend_pid(engine) != first


async def test_a_dead_connection_used_at_once_fails_one_session_only(
    database_url: str, database_kind: str
) -> None:
    async with _engines(database_url, database_kind, idle_seconds=60.0) as (engine, other):
        first = await _backend_pid(engine)
        await _terminate(other, first)
        with pytest.raises(sqlalchemy.exc.DBAPIError) as failure:
            await _backend_pid(engine)  # not idle long enough to be pinged
        assert failure.value.connection_invalidated  # counted as a store outage by the bot
        assert await _backend_pid(engine) != first


async def test_read_sessions_run_without_a_transaction_on_postgresql(
    database_url: str, database_kind: str
) -> None:
    engine = create_async_engine(database_url)
    try:
        factory = create_session_factory(engine)
        reads = read_sessions(factory)
        if database_kind != "postgresql":
            assert reads is factory  # SQLite: no round trips to save
            return
        # In a transaction now() stands still; in autocommit each statement has its own.
        async with reads() as session:
            first = (await session.execute(text("SELECT now()"))).scalar_one()
            await asyncio.sleep(0.01)
            second = (await session.execute(text("SELECT now()"))).scalar_one()
        assert second > first
        async with factory() as session:
            first = (await session.execute(text("SELECT now()"))).scalar_one()
            await asyncio.sleep(0.01)
            second = (await session.execute(text("SELECT now()"))).scalar_one()
        assert second == first
    finally:
        await engine.dispose()
