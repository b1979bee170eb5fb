"""A repeated update_id is dropped where updates may repeat (webhooks), and only there."""

from __future__ import annotations

from typing import Any

from aiogram.types import Update

from bot.middlewares.dedup import (
    UPDATES_MAY_REPEAT,
    DeduplicateUpdatesMiddleware,
    MemorySeenUpdates,
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
    assert await seen.first_time(42, 7)  # nothing was recorded
