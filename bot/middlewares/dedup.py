"""Drops an update_id seen before (a webhook retry, or two workers handed the same update).

Only where updates can come twice: the webhook handler says so with UPDATES_MAY_REPEAT in the
update's data. Long polling never does (getUpdates moves past what it returned, and only one
process may poll a bot), so there the check, a Redis round trip with REDIS_URL, is skipped."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from aiogram import BaseMiddleware, Bot
from aiogram.types import TelegramObject, Update
from redis.asyncio import Redis

# Contextual data key (a keyword of Dispatcher.feed_update) set by the webhook handler.
UPDATES_MAY_REPEAT = "updates_may_repeat"


class SeenUpdates(Protocol):
    async def first_time(self, bot_id: int, update_id: int) -> bool: ...


class MemorySeenUpdates:
    def __init__(self, remember: int = 10_000) -> None:
        self.remember = remember
        self._seen: OrderedDict[tuple[int, int], None] = OrderedDict()

    async def first_time(self, bot_id: int, update_id: int) -> bool:
        key = (bot_id, update_id)
        if key in self._seen:
            return False
        self._seen[key] = None
        if len(self._seen) > self.remember:
            self._seen.popitem(last=False)
        return True


class RedisSeenUpdates:
    """Shared by every worker; a day covers the messengers' redelivery window (Bale keeps 24 h)."""

    def __init__(self, redis: Redis, prefix: str, ttl_seconds: int = 86_400) -> None:
        self.redis = redis
        self.prefix = prefix
        self.ttl = ttl_seconds

    async def first_time(self, bot_id: int, update_id: int) -> bool:
        key = f"{self.prefix}:seen:{bot_id}:{update_id}"
        added = await self.redis.set(key, 1, nx=True, ex=self.ttl)
        return bool(added)


class DeduplicateUpdatesMiddleware(BaseMiddleware):
    def __init__(self, seen: SeenUpdates) -> None:
        self.seen = seen

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if not data.get(UPDATES_MAY_REPEAT):
            return await handler(event, data)
        bot: Bot = data["bot"]
        if isinstance(event, Update) and not await self.seen.first_time(bot.id, event.update_id):
            return None
        return await handler(event, data)
