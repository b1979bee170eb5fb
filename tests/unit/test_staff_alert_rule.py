"""The hourly digest rule of the new-submission alerts (services/staff_alerts.py), row by row."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.staff_alerts import (
    NEW_SUBMISSION,
    SUBMISSION_DIGEST,
    StaffChats,
    hour_bounds,
    queue_submission_alert,
)
from storage.models import OutboxMessage

TEHRAN = ZoneInfo("Asia/Tehran")
DAY = dt.date(2026, 5, 20)


def at(hour: int, minute: int) -> dt.datetime:
    return dt.datetime.combine(DAY, dt.time(hour, minute), TEHRAN)


async def submit_at(
    sessions: async_sessionmaker[AsyncSession], staff: StaffChats, app_id: int, moment: dt.datetime
) -> None:
    with time_machine.travel(moment, tick=False):
        async with sessions() as session:
            await queue_submission_alert(
                session, staff, app_id, province="تهران", submitted_at=moment.astimezone(dt.UTC),
                timezone="Asia/Tehran",
            )
            await session.commit()


async def rows(sessions: async_sessionmaker[AsyncSession]) -> list[tuple[str, object, object]]:
    """(kind, application id or digest start, due) of each row, in order."""
    async with sessions() as session:
        found = await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        result: list[tuple[str, object, object]] = []
        for r in found:
            due = r.not_before if r.not_before.tzinfo else r.not_before.replace(tzinfo=dt.UTC)
            if r.kind == NEW_SUBMISSION:
                result.append((r.kind, r.payload["application_id"], None))
            else:
                since = dt.datetime.fromisoformat(r.payload["since"])
                result.append((r.kind, since.astimezone(TEHRAN).time(), due.astimezone(TEHRAN)))
        return result


def test_hours_are_the_local_clock_hours() -> None:
    start, end = hour_bounds(at(10, 20), "Asia/Tehran")
    assert (start, end) == (at(10, 0), at(11, 0))
    assert start.tzinfo == dt.UTC and start.hour == 6 and start.minute == 30


async def test_past_the_threshold_one_digest_per_hour_and_group(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    staff = StaffChats({"telegram": -100}, digest_after=2)
    for app_id, moment in enumerate(
        [at(10, 10), at(10, 20), at(10, 30), at(10, 40), at(11, 5), at(11, 6), at(11, 7)], 1
    ):
        await submit_at(session_factory, staff, app_id, moment)
    assert await rows(session_factory) == [
        (NEW_SUBMISSION, 1, None),
        (NEW_SUBMISSION, 2, None),
        # The third starts the digest; the fourth finds it.
        (SUBMISSION_DIGEST, dt.time(10, 30), at(11, 0)),
        # A new hour counts again, and the last hour's digest (still pending) is not this one's.
        (NEW_SUBMISSION, 5, None),
        (NEW_SUBMISSION, 6, None),
        (SUBMISSION_DIGEST, dt.time(11, 7), at(12, 0)),
    ]


async def test_zero_means_an_alert_for_each(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    staff = StaffChats({"telegram": -100, "bale": -200}, digest_after=0)
    for app_id in range(1, 5):
        await submit_at(session_factory, staff, app_id, at(9, 10 + app_id))
    found = await rows(session_factory)
    assert [kind for kind, _, _ in found] == [NEW_SUBMISSION] * 8, found
