"""Drops an update_id handled before (a webhook retry, or two workers handed the same update).

Only where updates can come twice: the webhook handler says so with UPDATES_MAY_REPEAT in the
update's data. Long polling never does (getUpdates moves past what it returned, and only one
process may poll a bot), so there the check, a Redis round trip with REDIS_URL, is skipped.

An update is marked *done* only after it was handled. While it is being handled it holds a short
*in progress* mark; a failure clears it, so the messenger's retry (it redelivers after an error
answer) is handled, not dropped. A copy arriving while the first is still in progress is refused
with an error, so the messenger tries it again later instead of it being lost if the first fails.
A process killed mid-update leaves an in-progress mark that expires on its own."""

from __future__ import annotations

import contextlib
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from enum import Enum
from typing import Any, Protocol

from aiogram import BaseMiddleware, Bot
from aiogram.types import TelegramObject, Update
from redis.asyncio import Redis

# Contextual data key (a keyword of Dispatcher.feed_update) set by the webhook handler.
UPDATES_MAY_REPEAT = "updates_may_repeat"

# Longer than any one update takes to handle (a 429 wait, a slow upload), short enough that
# a messenger's retry after a killed process is not refused for long.
IN_PROGRESS_SECONDS = 120.0


class Claim(Enum):
    NEW = "new"  # this worker handles it now
    DONE = "done"  # handled before: drop it
    IN_PROGRESS = "in_progress"  # being handled elsewhere right now


class UpdateInProgress(RuntimeError):
    """Answered to the messenger as an error, so it delivers this copy again later."""


class SeenUpdates(Protocol):
    async def claim(self, bot_id: int, update_id: int) -> Claim: ...

    async def finish(self, bot_id: int, update_id: int) -> None: ...

    async def release(self, bot_id: int, update_id: int) -> None: ...


class MemorySeenUpdates:
    def __init__(
        self, remember: int = 10_000, in_progress_seconds: float = IN_PROGRESS_SECONDS
    ) -> None:
        self.remember = remember
        self.in_progress_seconds = in_progress_seconds
        self._done: OrderedDict[tuple[int, int], None] = OrderedDict()
        self._in_progress: dict[tuple[int, int], float] = {}

    async def claim(self, bot_id: int, update_id: int) -> Claim:
        key = (bot_id, update_id)
        if key in self._done:
            return Claim.DONE
        started = self._in_progress.get(key)
        if started is not None and time.monotonic() - started < self.in_progress_seconds:
            return Claim.IN_PROGRESS
        self._in_progress[key] = time.monotonic()
        return Claim.NEW

    async def finish(self, bot_id: int, update_id: int) -> None:
        key = (bot_id, update_id)
        self._in_progress.pop(key, None)
        self._done[key] = None
        if len(self._done) > self.remember:
            self._done.popitem(last=False)

    async def release(self, bot_id: int, update_id: int) -> None:
        self._in_progress.pop((bot_id, update_id), None)


class RedisSeenUpdates:
    """Shared by every worker; a day covers the messengers' redelivery window (Bale keeps 24 h)."""

    _DONE = b"done"

    def __init__(
        self,
        redis: Redis,
        prefix: str,
        ttl_seconds: int = 86_400,
        in_progress_seconds: float = IN_PROGRESS_SECONDS,
    ) -> None:
        self.redis = redis
        self.prefix = prefix
        self.ttl = ttl_seconds
        self.in_progress_ms = int(in_progress_seconds * 1000)

    def _key(self, bot_id: int, update_id: int) -> str:
        return f"{self.prefix}:seen:{bot_id}:{update_id}"

    async def claim(self, bot_id: int, update_id: int) -> Claim:
        key = self._key(bot_id, update_id)
        if await self.redis.set(key, b"working", nx=True, px=self.in_progress_ms):
            return Claim.NEW
        state = await self.redis.get(key)
        if state is None:  # the other mark expired or was released in between: try once more
            added = await self.redis.set(key, b"working", nx=True, px=self.in_progress_ms)
            return Claim.NEW if added else Claim.IN_PROGRESS
        return Claim.DONE if state == self._DONE else Claim.IN_PROGRESS

    async def finish(self, bot_id: int, update_id: int) -> None:
        await self.redis.set(self._key(bot_id, update_id), self._DONE, ex=self.ttl)

    async def release(self, bot_id: int, update_id: int) -> None:
        await self.redis.delete(self._key(bot_id, update_id))


class DeduplicateUpdatesMiddleware(BaseMiddleware):
    def __init__(self, seen: SeenUpdates) -> None:
        self.seen = seen

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if not data.get(UPDATES_MAY_REPEAT) or not isinstance(event, Update):
            return await handler(event, data)
        bot: Bot = data["bot"]
        claim = await self.seen.claim(bot.id, event.update_id)
        if claim is Claim.DONE:
            return None
        if claim is Claim.IN_PROGRESS:
            raise UpdateInProgress(f"update {event.update_id} is being handled elsewhere")
        try:
            result = await handler(event, data)
        except BaseException:
            # The failure is what must reach the messenger (so it redelivers); if the mark
            # cannot be cleared now (Redis down), it expires on its own.
            with contextlib.suppress(Exception):
                await self.seen.release(bot.id, event.update_id)
            raise
        await self.seen.finish(bot.id, event.update_id)
        return result
