"""Keeps the dashboard's figures warm in the API process, so that no viewer waits for the
uncached figures (a few hundred milliseconds over 100,000 applications, most on the first view
after a start or after a quiet spell).

Shortly after the start the national figures are computed once; then every `interval` seconds
one pass recomputes, one page after another (never two at a time), the figures of the province
sets viewed in the last hour and always the national ones, whichever would expire before the
next pass. With DASHBOARD_FRESH_SECONDS=0 nothing is kept and the keeper does not run."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from services.dashboard.figures import DashboardFigures
from services.dashboard.tables import DashboardTables

logger = logging.getLogger(__name__)

REMEMBER_SECONDS = 3600.0  # a province set nobody viewed for an hour is no longer kept warm
START_DELAY_SECONDS = 5.0  # let the process finish starting before the first (national) pass
MIN_INTERVAL_SECONDS = 5.0


class FiguresKeeper:
    def __init__(
        self, figures: DashboardFigures, tables: DashboardTables, *, fresh_seconds: float
    ) -> None:
        self._figures = figures
        self._tables = tables
        self.fresh_seconds = fresh_seconds
        # A third of the freshness: a pass renews what would expire before the pass after it,
        # so each set is recomputed about every two thirds of DASHBOARD_FRESH_SECONDS.
        self.interval = max(MIN_INTERVAL_SECONDS, fresh_seconds / 3)
        self.passes = 0

    @property
    def enabled(self) -> bool:
        return self.fresh_seconds > 0

    async def pass_once(self) -> int:
        """One pass (also what tests call); how many pages' figures were recomputed."""
        ahead = self.interval * 2
        renewed = await self._figures.keep_warm(remember=REMEMBER_SECONDS, ahead=ahead)
        renewed += await self._tables.keep_warm(remember=REMEMBER_SECONDS, ahead=ahead)
        self.passes += 1
        return renewed

    async def run(self, start_delay: float = START_DELAY_SECONDS) -> None:
        await asyncio.sleep(start_delay)
        while True:
            try:
                await self.pass_once()
            except Exception:  # the kept figures stay; the next pass (or a view) tries again
                logger.exception("keeping the dashboard's figures warm failed")
            await asyncio.sleep(self.interval)


@contextlib.asynccontextmanager
async def keeper_running(
    keeper: FiguresKeeper, *, start_delay: float = START_DELAY_SECONDS
) -> AsyncIterator[None]:
    """The keeper running while the block runs; cancelled (a pass in flight is dropped, its
    figures simply not stored) when the block ends."""
    if not keeper.enabled:
        yield
        return
    task = asyncio.create_task(keeper.run(start_delay), name="dashboard-keeper")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
