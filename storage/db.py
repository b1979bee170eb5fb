"""Engine and session factory (SQLite gets WAL and a busy timeout; PostgreSQL is used as is), and
the dialect-aware INSERT the repositories build their upserts on."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from sqlalchemy import event, exc
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

# A SQLite file inside the project (the repository's data/ folder); settings may name another.
DEFAULT_DATABASE_URL = (
    f"sqlite+aiosqlite:///{Path(__file__).resolve().parent.parent / 'data' / 'maharatyar.db'}"
)
SQLITE_BUSY_TIMEOUT_MS = 5000
# A pooled PostgreSQL connection idle longer than this is pinged before use (see ping_if_idle).
PING_AFTER_IDLE_SECONDS = 2.0


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def create_engine(url: str, *, echo: bool = False) -> AsyncEngine:
    kwargs: dict[str, Any] = {"echo": echo}
    if is_sqlite(url):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
    engine = create_async_engine(url, **kwargs)
    if is_sqlite(url):
        event.listen(engine.sync_engine, "connect", sqlite_pragmas)
    else:
        ping_if_idle(engine, PING_AFTER_IDLE_SECONDS)
    return engine


def ping_if_idle(engine: AsyncEngine, idle_seconds: float) -> None:
    """Ping a pooled connection before use only if it sat idle in the pool `idle_seconds` or
    more; a dead one is replaced (the pool retries on DisconnectionError).

    pool_pre_ping pings on every checkout: a round trip per session, a sixth of a busy worker's
    time. A connection used a moment ago is as alive as a ping would show; the ones that die
    unnoticed (a restarted server, a dropped idle connection) have sat in the pool meanwhile.
    One that fails in use anyway is a disconnect: SQLAlchemy then renews the whole pool, and the
    update is answered as in any store outage (bot.middlewares.outage)."""
    sync_engine = engine.sync_engine
    dialect = sync_engine.dialect

    def on_checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    def on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.pop("idle_since", None)
        if idle_since is None or time.monotonic() - idle_since < idle_seconds:
            return
        try:
            alive = dialect.do_ping(dbapi_connection)
        except Exception as error:
            raise exc.DisconnectionError("the pooled connection did not answer a ping") from error
        if not alive:
            raise exc.DisconnectionError("the pooled connection did not answer a ping")

    event.listen(sync_engine, "checkin", on_checkin)
    event.listen(sync_engine, "checkout", on_checkout)


def sqlite_file(url: str) -> str | None:
    """The database file of a SQLite URL (None for other databases and in-memory ones)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return parsed.database


def sqlite_pragmas(dbapi_connection: Any, _record: Any = None) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def read_sessions(
    session_factory: async_sessionmaker[AsyncSession],
) -> async_sessionmaker[AsyncSession]:
    """Sessions of the same database for reading only. On PostgreSQL they run in autocommit: no
    BEGIN before the first statement and no ROLLBACK at the end (two round trips of the three a
    one-query read costs), each statement reading its own snapshot. Never write through them:
    every statement would commit on its own. On SQLite (no round trips) the same sessions."""
    bind = getattr(session_factory, "kw", {}).get("bind")
    if not isinstance(bind, AsyncEngine) or bind.dialect.name != "postgresql":
        return session_factory
    return async_sessionmaker(
        bind.execution_options(isolation_level="AUTOCOMMIT"), expire_on_commit=False
    )


def dialect_insert(session: AsyncSession, model: type[Any]) -> Any:
    """An INSERT that knows ON CONFLICT for the dialect in use (SQLite and PostgreSQL only)."""
    name = session.get_bind().dialect.name
    if name == "postgresql":
        return postgresql.insert(model)
    if name == "sqlite":
        return sqlite.insert(model)
    raise NotImplementedError(f"upserts are written for sqlite and postgresql, not {name}")
