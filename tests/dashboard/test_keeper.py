"""The keeper recomputes, before they expire, the figures of the province sets viewed in the
last hour and always the national ones, one after another; it starts and stops with its block.
Real database (SQLite, and PostgreSQL when TEST_DATABASE_URL is set); only the clock is ours."""

from __future__ import annotations

import asyncio
import datetime as dt

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.broadcasts import BroadcastService
from services.dashboard.figures import DashboardFigures
from services.dashboard.keeper import REMEMBER_SECONDS, FiguresKeeper, keeper_running
from services.dashboard.scope import Scope
from services.dashboard.tables import DashboardTables
from services.programs import load_programs
from storage.models import Ticket
from tests.applications.conftest import (  # noqa: F401  (fixtures)
    database_url,
    migrated_sqlite_template,
)
from tests.dashboard.data import EXPECTED, TEHRAN, build
from tests.dashboard.test_cache import Clock
from tests.dashboard.test_figures import PROGRAMS_DIR

FRESH = 60.0


def kept_figures(
    sessions: async_sessionmaker[AsyncSession], clock: Clock
) -> tuple[DashboardFigures, DashboardTables, FiguresKeeper]:
    figures = DashboardFigures(sessions, BroadcastService(sessions), timezone="Asia/Tehran",
                               fresh_seconds=FRESH, clock=clock)
    tables = DashboardTables(sessions, load_programs(PROGRAMS_DIR), fresh_seconds=FRESH,
                             clock=clock)
    return figures, tables, FiguresKeeper(figures, tables, fresh_seconds=FRESH)


async def close_every_ticket(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions() as session:
        await session.execute(update(Ticket).values(closed_at=dt.datetime.now(dt.UTC)))
        await session.commit()


async def test_viewed_sets_and_the_national_one_are_renewed_before_they_expire(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    await build(session_factory)
    clock = Clock()
    figures, tables, keeper = kept_figures(session_factory, clock)
    assert keeper.interval == 20.0
    # Nobody looked yet: the national overview, provinces and centres tables are computed.
    assert await keeper.pass_once() == 3
    assert await keeper.pass_once() == 0  # fresh: nothing to do
    national = await figures.overview(Scope(None))
    assert national.open_tickets == EXPECTED[None]["open_tickets"] > 0
    assert national.applications == EXPECTED[None]["applications"]
    tehran = Scope(frozenset({TEHRAN}), TEHRAN)
    assert (await figures.overview(tehran)).open_tickets == EXPECTED[TEHRAN]["open_tickets"]
    await tables.centres(tehran)

    await close_every_ticket(session_factory)
    # Not yet near expiry (a pass renews what would expire before the pass after next).
    clock.now = 15
    assert await keeper.pass_once() == 0
    assert (await figures.overview(Scope(None))).open_tickets > 0
    # Within two intervals of expiry: the three national pages and Tehran's two are renewed,
    # so the next views find the database's figures without computing them.
    clock.now = 45
    assert await keeper.pass_once() == 5
    assert (await figures.overview(Scope(None))).open_tickets == 0
    assert (await figures.overview(tehran)).open_tickets == 0
    # An hour without a view of Tehran: only the national set is kept warm.
    clock.now = 45 + REMEMBER_SECONDS + 1
    assert await keeper.pass_once() == 3


async def test_the_keeper_runs_with_its_block_and_stops_with_it(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    await build(session_factory)
    _figures, _tables, keeper = kept_figures(session_factory, Clock())
    async with keeper_running(keeper, start_delay=0):
        for _ in range(500):
            if keeper.passes:
                break
            await asyncio.sleep(0.01)
        assert keeper.passes == 1  # the national figures, once, shortly after the start
    assert not [t for t in asyncio.all_tasks() if t.get_name() == "dashboard-keeper"]


async def test_no_keeper_without_a_cache(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    figures = DashboardFigures(session_factory, BroadcastService(session_factory),
                               timezone="Asia/Tehran", fresh_seconds=0)
    tables = DashboardTables(session_factory, load_programs(PROGRAMS_DIR), fresh_seconds=0)
    keeper = FiguresKeeper(figures, tables, fresh_seconds=0)
    assert not keeper.enabled
    async with keeper_running(keeper, start_delay=0):
        await asyncio.sleep(0.05)
    assert keeper.passes == 0
