"""Alembic environment: async engines, batch mode (SQLite cannot ALTER most things in place).

URL precedence: `config.attributes["url"]` (storage.migrate, which `python -m bot migrate` calls
with the settings' URL), `-x url=...`, the DATABASE_URL environment variable, then the default
SQLite file (storage.db.DEFAULT_DATABASE_URL, also the settings' default). Storage reads no
settings of the bot: a bare `alembic` does not see `.env`.
"""

from __future__ import annotations

import asyncio
import os
from logging.config import fileConfig

from alembic import context
from sqlalchemy import pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from storage.db import DEFAULT_DATABASE_URL, SQLITE_BUSY_TIMEOUT_MS, is_sqlite
from storage.models import Base

config = context.config
target_metadata = Base.metadata

# Programmatic callers configure logging themselves; only the CLI reads the ini's loggers.
if config.config_file_name is not None and not config.attributes.get("skip_logging_config"):
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def database_url() -> str:
    url = config.attributes.get("url") or context.get_x_argument(as_dictionary=True).get("url")
    return str(url or os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL)


def configure(**kwargs: object) -> None:
    context.configure(
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        **kwargs,  # type: ignore[arg-type]
    )


def run_migrations_offline() -> None:
    configure(url=database_url(), literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()


def do_run_migrations(connection: Connection) -> None:
    configure(connection=connection)
    with context.begin_transaction():
        context.run_migrations()


async def run_async_migrations() -> None:
    url = database_url()
    # Busy timeout so a migration waits for a running bot instead of failing; no
    # foreign_keys pragma here: batch mode recreates tables and would cascade-delete rows.
    connect_args = {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000} if is_sqlite(url) else {}
    engine = create_async_engine(url, poolclass=pool.NullPool, connect_args=connect_args)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(do_run_migrations)
    finally:
        await engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    # An already-open sync connection (tests, compare) skips the engine and its event loop.
    existing: Connection | None = config.attributes.get("connection")
    if existing is not None:
        do_run_migrations(existing)
    else:
        asyncio.run(run_async_migrations())
