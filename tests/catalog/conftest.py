"""A fresh catalog database per test: temp SQLite, plus PostgreSQL when TEST_DATABASE_URL is set."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import services.catalog as catalog_module
from storage.db import create_engine, create_session_factory
from storage.models import Base

SAMPLE_CSV = Path(__file__).resolve().parents[2] / "data" / "sample_courses.csv"

_BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


@pytest.fixture(params=_BACKENDS)
async def session_factory(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    if request.param == "sqlite":
        engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'catalog.db'}")
        async with engine.begin() as conn:
            await conn.run_sync(Base.metadata.create_all)
        yield create_session_factory(engine)
        await engine.dispose()
        return
    # Other suites share the database: each test gets its own schema and drops it afterwards.
    schema = f"test_catalog_{uuid.uuid4().hex[:12]}"
    base_engine = create_engine(os.environ["TEST_DATABASE_URL"])
    async with base_engine.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = base_engine.execution_options(schema_translate_map={None: schema})
    try:
        async with engine.begin() as conn:
            await conn.run_sync(Base.metadata.create_all)
        yield create_session_factory(engine)
    finally:
        async with base_engine.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await base_engine.dispose()


@pytest.fixture(params=["term-driven", "per-course"])
def plan(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both ways a search word is matched: from the term index, or probed per course."""
    if request.param == "per-course":
        monkeypatch.setattr(catalog_module, "TERM_DRIVEN_MAX", 0)
    return str(request.param)
