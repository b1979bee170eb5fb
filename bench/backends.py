"""Throw-away databases for one benchmark run: a migrated SQLite file, or a fresh PostgreSQL
database (dropped at the end) with the run's Redis keys removed afterwards."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from storage.migrate import upgrade_database_async


@dataclass(frozen=True)
class Backend:
    name: str
    database_url: str
    redis_url: str | None = None

    @property
    def short(self) -> str:
        """The storage under test, as the floor kinds are labelled."""
        return "Redis" if self.redis_url else "SQL FSM"


@asynccontextmanager
async def sqlite_backend() -> AsyncIterator[Backend]:
    with tempfile.TemporaryDirectory(prefix="maharatyar-bench-") as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        await upgrade_database_async(url)
        yield Backend("SQLite (SQL FSM storage)", url)


async def _postgres_admin(server_url: str, statement: str) -> None:
    import asyncpg

    server = make_url(server_url)
    connection = await asyncpg.connect(
        user=server.username,
        password=server.password,
        host=server.host or "127.0.0.1",
        port=server.port or 5432,
        database="postgres",
        timeout=10,
    )
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


@asynccontextmanager
async def postgres_database(server_url: str) -> AsyncIterator[str]:
    """The URL of a migrated, uniquely named database on the server of `server_url`; only that
    database is dropped afterwards."""
    name = f"maharatyar_bench_{uuid.uuid4().hex[:12]}"
    await _postgres_admin(server_url, f'CREATE DATABASE "{name}"')
    url = (
        make_url(server_url)
        .set(drivername="postgresql+asyncpg", database=name)
        .render_as_string(hide_password=False)
    )
    try:
        await upgrade_database_async(url)
        yield url
    finally:
        await _postgres_admin(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@asynccontextmanager
async def postgres_backend(server_url: str, redis_url: str, bot_id: int) -> AsyncIterator[Backend]:
    """A fresh database (see postgres_database) and this run's keys on the Redis server.

    The app's Redis keys carry no configurable prefix, so the run uses a bot id of its own and
    removes exactly the keys under that id."""
    try:
        async with postgres_database(server_url) as url:
            yield Backend("PostgreSQL + Redis", url, redis_url)
    finally:
        await _forget_redis_keys(redis_url, bot_id)


async def _forget_redis_keys(redis_url: str, bot_id: int) -> None:
    from redis.asyncio import Redis

    client = Redis.from_url(redis_url)
    try:
        for pattern in (f"fsm:{bot_id}:*", f"maharatyar:seen:{bot_id}:*"):
            batch: list[bytes] = []
            async for key in client.scan_iter(match=pattern, count=1000):
                batch.append(key)
                if len(batch) >= 1000:
                    await client.delete(*batch)
                    batch.clear()
            if batch:
                await client.delete(*batch)
    finally:
        await client.aclose()
