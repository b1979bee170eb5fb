from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.flows.harness import Sandbox, started_sandbox
from tests.flows.staff_steps import sandbox_for  # noqa: F401  (a fixture for every flow test)


@pytest.fixture
async def sandbox(
    database_url: str, database_kind: str, request: pytest.FixtureRequest
) -> AsyncIterator[Sandbox]:
    async with started_sandbox(request, database_kind, database_url) as box:
        yield box


@pytest.fixture(params=["telegram", "bale"])
def platform(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def outbox_sandbox(
    database_url: str, database_kind: str, request: pytest.FixtureRequest
) -> AsyncIterator[Sandbox]:
    async with started_sandbox(
        request, database_kind, database_url, outbox_backoff_seconds=0.05, outbox_max_attempts=3
    ) as box:
        yield box
