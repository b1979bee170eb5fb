"""A repeated update_id is dropped where updates may repeat (webhooks), and only there."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiogram.types import Update
from redis.asyncio import Redis

from bot.middlewares.dedup import (
    UPDATES_MAY_REPEAT,
    Claim,
    DeduplicateUpdatesMiddleware,
    MemorySeenUpdates,
    RedisSeenUpdates,
    SeenUpdates,
    UpdateInProgress,
)


class _Bot:
    id = 42


async def _deliver(middleware: DeduplicateUpdatesMiddleware, **data: Any) -> list[int]:
    handled: list[int] = []

    async def handler(event: Any, _data: dict[str, Any]) -> None:
        handled.append(event.update_id)

    for update_id in (7, 7, 8, 7):
        await middleware(handler, Update(update_id=update_id), {"bot": _Bot(), **data})
    return handled


async def test_webhook_repeats_are_dropped() -> None:
    middleware = DeduplicateUpdatesMiddleware(MemorySeenUpdates())
    assert await _deliver(middleware, **{UPDATES_MAY_REPEAT: True}) == [7, 8]


async def test_polling_updates_skip_the_check() -> None:
    seen = MemorySeenUpdates()
    middleware = DeduplicateUpdatesMiddleware(seen)
    assert await _deliver(middleware) == [7, 7, 8, 7]
    assert await seen.claim(42, 7) is Claim.NEW  # nothing was recorded


class _HandlingFailed(Exception):
    pass


@pytest.fixture(params=["memory", "redis"])
async def seen(request: pytest.FixtureRequest) -> AsyncIterator[SeenUpdates]:
    if request.param == "memory":
        yield MemorySeenUpdates()
        return
    if not os.environ.get("TEST_REDIS_URL"):
        pytest.skip("TEST_REDIS_URL is not set")
    redis = Redis.from_url(request.getfixturevalue("redis_url"))
    try:
        yield RedisSeenUpdates(redis, prefix=request.getfixturevalue("redis_key_prefix"))
    finally:
        await redis.aclose()


async def test_a_failed_update_is_handled_again_when_redelivered(seen: SeenUpdates) -> None:
    middleware = DeduplicateUpdatesMiddleware(seen)
    attempts: list[int] = []

    async def failing_once(event: Any, _data: dict[str, Any]) -> str:
        attempts.append(event.update_id)
        if len(attempts) == 1:
            raise _HandlingFailed
        return "handled"

    data = {"bot": _Bot(), UPDATES_MAY_REPEAT: True}
    with pytest.raises(_HandlingFailed):
        await middleware(failing_once, Update(update_id=9), dict(data))
    assert await middleware(failing_once, Update(update_id=9), dict(data)) == "handled"
    assert await middleware(failing_once, Update(update_id=9), dict(data)) is None
    assert attempts == [9, 9]


async def test_a_copy_arriving_while_the_first_is_handled_is_refused_for_later(
    seen: SeenUpdates,
) -> None:
    middleware = DeduplicateUpdatesMiddleware(seen)
    data = {"bot": _Bot(), UPDATES_MAY_REPEAT: True}
    copies_refused: list[bool] = []

    async def handler_seeing_a_copy(event: Any, _data: dict[str, Any]) -> None:
        if copies_refused:
            raise AssertionError("the copy was handled")
        try:
            await middleware(handler_seeing_a_copy, Update(update_id=11), dict(data))
        except UpdateInProgress:
            copies_refused.append(True)

    await middleware(handler_seeing_a_copy, Update(update_id=11), dict(data))
    assert copies_refused == [True]
    assert await seen.claim(42, 11) is Claim.DONE


async def test_an_abandoned_in_progress_mark_expires() -> None:
    seen = MemorySeenUpdates(in_progress_seconds=0.05)
    assert await seen.claim(42, 5) is Claim.NEW
    assert await seen.claim(42, 5) is Claim.IN_PROGRESS
    await asyncio.sleep(0.06)
    assert await seen.claim(42, 5) is Claim.NEW
