"""The dashboard's figures kept for a minute per scope: a page opened again, by anyone with
the same provinces, is drawn without asking the database; concurrent first views compute once.
Figures are at most FRESH_SECONDS old (the pages say so)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")
FRESH_SECONDS = 60.0
MAX_ENTRIES = 256


class FreshFor:
    def __init__(self, seconds: float = FRESH_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self._clock = clock
        self._values: dict[Hashable, tuple[float, Any]] = {}
        self._locks: dict[Hashable, asyncio.Lock] = {}

    async def get(self, key: Hashable, compute: Callable[[], Awaitable[T]]) -> T:
        if self.seconds <= 0:
            return await compute()
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:
            kept = self._values.get(key)
            if kept is not None and self._clock() - kept[0] < self.seconds:
                value: T = kept[1]
                return value
            value = await compute()
            if len(self._values) >= MAX_ENTRIES:
                self._values.clear()
            self._values[key] = (self._clock(), value)
            return value
