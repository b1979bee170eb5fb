"""Database fixtures for the whole suite (feature fixtures live in sub-folder conftests).

Every test database is built by the real migrations. SQLite: a fresh file per test.
PostgreSQL (only when TEST_DATABASE_URL is set): one uniquely named database per test session,
emptied between tests, dropped at the end; parallel runs never share or drop each other's data.
A TEST_DATABASE_URL / TEST_REDIS_URL that is set but unreachable fails the run, never skips it.
"""

from __future__ import annotations

import asyncio
import gc
import os
import shutil
import sqlite3
import uuid
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import pytest
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from storage.db import create_engine, create_session_factory
from storage.migrate import upgrade_database

POSTGRES_ENV = "TEST_DATABASE_URL"
REDIS_ENV = "TEST_REDIS_URL"
DATABASE_KINDS = ["sqlite"] + (["postgresql"] if os.environ.get(POSTGRES_ENV) else [])

T = TypeVar("T")


def pytest_collection_finish(session: pytest.Session) -> None:
    """Everything imported and collected lives to the end: out of the garbage collector's way.
    Each test builds a whole app (some 50 routers); the collector's full passes over the
    suite's modules were a fifth of that."""
    gc.freeze()


def in_fresh_thread(function: Callable[..., T], *args: Any) -> T:
    """Run loop-owning code (asyncio.run, alembic's env.py) off the test thread: asyncio.run
    there would reset the event loop pytest-asyncio has installed."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args).result()


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    return in_fresh_thread(asyncio.run, coroutine)


def _postgres_server_url() -> URL:
    url = make_url(os.environ[POSTGRES_ENV])
    return url.set(drivername="postgresql+asyncpg")


async def _postgres_admin(statement: str) -> None:
    import asyncpg

    server = _postgres_server_url()
    try:
        connection = await asyncpg.connect(
            user=server.username,
            password=server.password,
            host=server.host or "127.0.0.1",
            port=server.port or 5432,
            database="postgres",
            timeout=10,
        )
    except (OSError, asyncpg.PostgresError) as error:
        pytest.fail(f"{POSTGRES_ENV} is set but PostgreSQL is unreachable: {error!r}")
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


class PostgresDatabases:
    """Creates uniquely named databases and drops exactly those (and only those) at the end."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def create(self) -> str:
        name = f"maharatyar_test_{uuid.uuid4().hex[:12]}"
        run_async(_postgres_admin(f'CREATE DATABASE "{name}"'))
        self.names.append(name)
        return _postgres_server_url().set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        for name in self.names:
            run_async(_postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.names.clear()


@pytest.fixture(scope="session")
def postgres_databases() -> Iterator[PostgresDatabases]:
    if not os.environ.get(POSTGRES_ENV):
        pytest.skip(f"{POSTGRES_ENV} is not set")
    databases = PostgresDatabases()
    yield databases
    databases.drop_all()


@pytest.fixture(scope="session")
def migrated_postgres_url(postgres_databases: PostgresDatabases) -> str:
    url = postgres_databases.create()
    in_fresh_thread(upgrade_database, url)
    return url


async def _empty_postgres(url: str) -> None:
    from sqlalchemy import text

    from storage.models import Base

    # DELETE (children first) and restarting the sequences, in one round trip: TRUNCATE makes
    # new files for every table and index and took ~0.2 s per test here; this takes ~0.02 s.
    deletes = "".join(f'DELETE FROM "{table.name}";'
                      for table in reversed(Base.metadata.sorted_tables))
    empty = (
        "DO $$ DECLARE r record; BEGIN " + deletes +
        " FOR r IN SELECT sequence_schema AS s, sequence_name AS n"
        " FROM information_schema.sequences WHERE sequence_schema = current_schema() LOOP"
        " EXECUTE format('ALTER SEQUENCE %I.%I RESTART', r.s, r.n); END LOOP; END $$"
    )
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(text("SET LOCAL synchronous_commit = off"))
            await connection.execute(text(empty))
    finally:
        await engine.dispose()


@pytest.fixture(params=DATABASE_KINDS)
def database_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def migrated_sqlite_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once per test process; each test gets a copy (migrating took
    ~0.7 s a test, copying takes milliseconds). The stairway test migrates step by step on its
    own (empty_database_url)."""
    path = tmp_path_factory.mktemp("sqlite-template") / "migrated.db"
    in_fresh_thread(upgrade_database, f"sqlite+aiosqlite:///{path}")
    # Everything into the main file, so one file is the whole database.
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture
def database_url(database_kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A migrated, empty database for this test."""
    if database_kind == "sqlite":
        template: Path = request.getfixturevalue("migrated_sqlite_file")
        shutil.copyfile(template, tmp_path / "test.db")
        return f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"
    url = str(request.getfixturevalue("migrated_postgres_url"))
    run_async(_empty_postgres(url))
    return url


@pytest.fixture
def empty_database_url(
    database_kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> str:
    """A database with no tables at all, for tests that drive the migrations themselves."""
    if database_kind == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"
    databases: PostgresDatabases = request.getfixturevalue("postgres_databases")
    return databases.create()


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    yield engine
    await engine.dispose()


@pytest.fixture
def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return create_session_factory(engine)


@pytest.fixture(scope="session")
def redis_server_url() -> str:
    url = os.environ.get(REDIS_ENV)
    if not url:
        pytest.skip(f"{REDIS_ENV} is not set")

    async def ping() -> None:
        from redis.asyncio import Redis

        client = Redis.from_url(url, socket_connect_timeout=5)
        try:
            await client.ping()  # type: ignore[misc]
        finally:
            await client.aclose()

    try:
        run_async(ping())
    except Exception as error:
        pytest.fail(f"{REDIS_ENV} is set but Redis is unreachable: {error!r}")
    return url


@pytest.fixture
def redis_key_prefix() -> str:
    """Use as the key prefix of everything a test writes to Redis; removed afterwards."""
    return f"test-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def redis_url(redis_server_url: str, redis_key_prefix: str) -> Iterator[str]:
    """TEST_REDIS_URL; tests must write only keys under `redis_key_prefix` (shared server)."""
    yield redis_server_url

    async def clean() -> None:
        from redis.asyncio import Redis

        client = Redis.from_url(redis_server_url)
        try:
            keys = [key async for key in client.scan_iter(match=f"{redis_key_prefix}*")]
            if keys:
                await client.delete(*keys)
        finally:
            await client.aclose()

    run_async(clean())


