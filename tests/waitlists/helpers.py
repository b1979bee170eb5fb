"""Shared steps of the waitlist tests: people, a catalog import through the real importer with
the waitlist hook, the ledger's sweep, what the outbox holds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.catalog_import import ImportReport, import_courses
from services.counseling import load_counseling_data
from services.match_notices import (
    Delivery,
    DigestClock,
    MatchNoticeLedger,
    deliver_all_due,
    subjects_of,
)
from services.waitlists import CourseOpeningPolicy, WaitlistService
from storage.models import Course, MatchNotice, OutboxMessage
from storage.repositories.accounts import AccountRepository
from tests.catalog.helpers import write_csv

Factory = async_sessionmaker[AsyncSession]
ZONE = "Asia/Tehran"
# 09:30 in Tehran, three days before the template course starts (1405/09/15 = 2026-12-06).
NOW = dt.datetime(2026, 12, 3, 6, 0, tzinfo=dt.UTC)


def service(factory: Factory, limit: int = 10) -> WaitlistService:
    return WaitlistService(factory, timezone=ZONE, max_per_person=limit,
                           counseling=load_counseling_data())


def ledger() -> MatchNoticeLedger:
    result = MatchNoticeLedger(DigestClock.of(10, ZONE))
    result.register(CourseOpeningPolicy(ZONE))
    return result


async def person(factory: Factory, user_id: int, platform: str = "telegram") -> int:
    async with factory() as session:
        account = await AccountRepository(session).get_or_create(
            platform, user_id, chat_id=user_id, first_name="مریم", username=None,
            language_code="fa",
        )
        await session.commit()
        return account.person_id


async def import_file(
    factory: Factory, waitlists: WaitlistService, folder: Path, rows: list[dict[str, str]],
    name: str = "catalog.csv",
) -> ImportReport:
    report = await import_courses(
        factory, write_csv(folder / name, rows), openings=waitlists.record_openings
    )
    assert report.ok and report.written, report.errors[:3]
    return report


async def sweep(factory: Factory, now: dt.datetime = NOW) -> Delivery:
    return await deliver_all_due(factory, ledger(), now)


async def outbox(factory: Factory) -> list[tuple[int | None, str, list[int]]]:
    async with factory() as session:
        rows = await session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "course_openings")
            .order_by(OutboxMessage.id)
        )
        return [(r.person_id, r.platform, subjects_of(r.payload)) for r in rows]


async def course_ids(factory: Factory, *codes: str) -> list[int]:
    async with factory() as session:
        result = await session.execute(
            select(Course.course_code, Course.id).where(Course.course_code.in_(codes))
        )
        found = {row[0]: row[1] for row in result}
    return [found[code] for code in codes]


async def notices(factory: Factory) -> list[tuple[int, int, str | None]]:
    async with factory() as session:
        rows = await session.execute(
            select(MatchNotice.person_id, MatchNotice.subject_id, MatchNotice.outcome)
            .where(MatchNotice.subject_kind == "course").order_by(MatchNotice.id)
        )
        return [(r[0], r[1], r[2]) for r in rows]
