"""Run Alembic from code, from any working directory (the scripts ship inside the package)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection

from storage.db import create_engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str) -> Config:
    """A Config that needs no alembic.ini: a user's installed copy has none."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["url"] = url
    config.attributes["skip_logging_config"] = True
    return config


def upgrade_database(url: str, revision: str = "head") -> None:
    """`alembic upgrade head`. Uses asyncio.run inside: call from sync code or a worker thread."""
    command.upgrade(alembic_config(url), revision)


def downgrade_database(url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(url), revision)


async def upgrade_database_async(url: str, revision: str = "head") -> None:
    """For callers inside an event loop (env.py cannot nest asyncio.run in the same thread)."""
    await asyncio.to_thread(upgrade_database, url, revision)


async def downgrade_database_async(url: str, revision: str = "base") -> None:
    await asyncio.to_thread(downgrade_database, url, revision)


def _current(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


async def current_revision_async(url: str) -> str | None:
    """The revision the database is at; None for an empty database."""
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(_current)
    finally:
        await engine.dispose()


def current_revision(url: str) -> str | None:
    return asyncio.run(current_revision_async(url))


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config("")).get_current_head()
