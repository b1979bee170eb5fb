"""The figures' cache: fresh values served, stale ones served while recomputed once in the
background, too old ones recomputed before serving; no cache at 0 seconds."""

from __future__ import annotations

import asyncio

from services.dashboard.cache import STALE_FACTOR, FreshFor


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_fresh_stale_and_too_old() -> None:
    clock = Clock()
    cache = FreshFor(60, clock)
    calls = 0

    async def compute() -> int:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0)
        return calls

    assert await cache.get("k", compute) == 1
    clock.now = 59
    assert await cache.get("k", compute) == 1 and calls == 1
    # Stale: the old value at once, one refresh behind it however many views come.
    clock.now = 61
    assert await asyncio.gather(cache.get("k", compute), cache.get("k", compute)) == [1, 1]
    await cache.settled()
    assert calls == 2
    assert await cache.get("k", compute) == 2
    # Nobody looked for a long while: the view waits for fresh figures.
    clock.now += 60 * STALE_FACTOR + 1
    assert await cache.get("k", compute) == 3
    # Another scope is another entry.
    assert await cache.get("other", compute) == 4


async def test_concurrent_first_views_compute_once() -> None:
    cache = FreshFor(60, Clock())
    calls = 0

    async def compute() -> int:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.01)
        return calls

    assert await asyncio.gather(*(cache.get("k", compute) for _ in range(5))) == [1] * 5
    assert calls == 1


async def test_zero_seconds_is_always_fresh() -> None:
    cache = FreshFor(0, Clock())
    values = iter(range(10))

    async def compute() -> int:
        return next(values)

    assert [await cache.get("k", compute) for _ in range(3)] == [0, 1, 2]
