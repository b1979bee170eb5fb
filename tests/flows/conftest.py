from __future__ import annotations

import os
from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.flows.harness import Sandbox


@pytest.fixture
async def sandbox(
    database_url: str, database_kind: str, request: pytest.FixtureRequest
) -> AsyncIterator[Sandbox]:
    # PostgreSQL runs go with Redis (as in production) when TEST_REDIS_URL is set; SQLite runs use
    # the SQL conversation store. Redis keys get a per-test prefix, removed afterwards.
    overrides = {}
    redis_url = None
    if database_kind == "postgresql" and os.environ.get("TEST_REDIS_URL"):
        redis_url = request.getfixturevalue("redis_url")
        overrides["redis_prefix"] = request.getfixturevalue("redis_key_prefix")
    box = await Sandbox.start(database_url, redis_url, **overrides)
    try:
        yield box
    finally:
        await box.close()


@pytest.fixture(params=["telegram", "bale"])
def platform(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def outbox_sandbox(
    database_url: str, database_kind: str, request: pytest.FixtureRequest
) -> AsyncIterator[Sandbox]:
    overrides: dict[str, Any] = {"outbox_backoff_seconds": 0.05, "outbox_max_attempts": 3}
    redis_url = None
    if database_kind == "postgresql" and os.environ.get("TEST_REDIS_URL"):
        redis_url = request.getfixturevalue("redis_url")
        overrides["redis_prefix"] = request.getfixturevalue("redis_key_prefix")
    box = await Sandbox.start(database_url, redis_url, **overrides)
    try:
        yield box
    finally:
        await box.close()
