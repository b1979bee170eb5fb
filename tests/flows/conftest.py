from __future__ import annotations

import os
from collections.abc import AsyncIterator

import pytest

from tests.flows.harness import Sandbox


@pytest.fixture
async def sandbox(database_url: str, database_kind: str) -> AsyncIterator[Sandbox]:
    # PostgreSQL runs go with Redis (as in production); SQLite runs use the SQL conversation store.
    redis_url = os.environ.get("TEST_REDIS_URL") if database_kind == "postgresql" else None
    box = await Sandbox.start(database_url, redis_url)
    try:
        yield box
    finally:
        await box.close()


@pytest.fixture(params=["telegram", "bale"])
def platform(request: pytest.FixtureRequest) -> str:
    return str(request.param)
