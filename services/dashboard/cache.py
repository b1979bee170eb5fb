"""The dashboard's figures kept per scope, so pages over a large database stay quick.

A value younger than `seconds` is served as is. An older one, up to STALE_FACTOR times that, is
still served at once while one background task recomputes it (stale-while-revalidate): a busy
dashboard never waits for the database. Older still (nobody looked for a while), the page waits
for fresh figures. Concurrent first views compute once. The pages say how old figures may be."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")
MAX_ENTRIES = 256
STALE_FACTOR = 10

logger = logging.getLogger(__name__)


class FreshFor:
    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self._clock = clock
        self._values: dict[Hashable, tuple[float, Any]] = {}
        self._locks: dict[Hashable, asyncio.Lock] = {}
        self._refreshing: dict[Hashable, asyncio.Task[None]] = {}

    @property
    def oldest_served(self) -> float:
        """How old (seconds) a served figure can be."""
        return self.seconds * STALE_FACTOR

    async def get(self, key: Hashable, compute: Callable[[], Awaitable[T]]) -> T:
        if self.seconds <= 0:
            return await compute()
        kept = self._values.get(key)
        if kept is not None:
            age = self._clock() - kept[0]
            if age < self.seconds:
                return kept[1]
            if age < self.oldest_served:
                self._refresh_later(key, compute)
                return kept[1]
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:
            kept = self._values.get(key)
            if kept is not None and self._clock() - kept[0] < self.seconds:
                return kept[1]
            return await self._compute(key, compute)

    async def renew(
        self, key: Hashable, compute: Callable[[], Awaitable[Any]], *, ahead: float
    ) -> bool:
        """Recompute `key` now if it is missing or would be older than `seconds` within `ahead`
        seconds (the keeper's next pass): views keep finding fresh figures. True if computed."""
        if self.seconds <= 0:
            return False
        kept = self._values.get(key)
        if kept is not None and self._clock() - kept[0] + ahead < self.seconds:
            return False
        async with self._locks.setdefault(key, asyncio.Lock()):
            kept = self._values.get(key)
            if kept is not None and self._clock() - kept[0] + ahead < self.seconds:
                return False  # a view computed it meanwhile
            await self._compute(key, compute)
        return True

    async def _compute(self, key: Hashable, compute: Callable[[], Awaitable[T]]) -> T:
        value = await compute()
        if len(self._values) >= MAX_ENTRIES and key not in self._values:
            self._values.clear()
        self._values[key] = (self._clock(), value)
        return value

    def _refresh_later(self, key: Hashable, compute: Callable[[], Awaitable[Any]]) -> None:
        if key in self._refreshing:
            return

        async def refresh() -> None:
            try:
                async with self._locks.setdefault(key, asyncio.Lock()):
                    await self._compute(key, compute)
            except Exception:  # the stale figures stay; the next view tries again
                logger.exception("refreshing the dashboard's figures failed")
            finally:
                self._refreshing.pop(key, None)

        self._refreshing[key] = asyncio.create_task(refresh(), name="dashboard-refresh")

    async def settled(self) -> None:
        """Wait for background refreshes (tests, shutdown)."""
        for task in list(self._refreshing.values()):
            with contextlib.suppress(Exception):
                await task


class RecentScopes:
    """The scopes (province sets) a page was viewed for, with when: what the keeper keeps warm.
    Bounded like the cache: a forgotten scope only costs its next viewer one uncached page."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._seen: dict[Hashable, float] = {}

    def saw(self, scope: Hashable) -> None:
        if len(self._seen) >= MAX_ENTRIES and scope not in self._seen:
            self._seen.clear()
        self._seen[scope] = self._clock()

    def within(self, seconds: float) -> list[Hashable]:
        """The scopes seen in the last `seconds`, forgetting older ones."""
        since = self._clock() - seconds
        for scope in [s for s, at in self._seen.items() if at < since]:
            del self._seen[scope]
        return list(self._seen)
