"""Shared steps of the waitlist tests: people, a catalog import through the real importer with
the waitlist hook, the ledger's sweep, what the outbox holds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.catalog import CourseFilter
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
from storage.models import Course, MatchNotice, OutboxMessage, Person, Waitlist
from storage.repositories.accounts import AccountRepository
from tests.catalog.helpers import course_row, write_csv

Factory = async_sessionmaker[AsyncSession]
ZONE = "Asia/Tehran"
TEHRAN = "تهران"
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


async def known_demand_set(session_factory: Factory, tmp_path: Path) -> None:
    """Six people waiting in Tehran (the demand export's and the demand page's known set)."""
    waitlists = service(session_factory)
    await import_file(session_factory, waitlists, tmp_path, [course_row("T001", seats_taken="20")])
    # (user, relief client, decile, how they wait, days ago)
    people = [
        (1, True, 2, "search:خیاطی", 10),
        (2, False, 5, "search:خیاطی", 2),
        (3, True, None, "search:خياطي", 4),  # typed with Arabic letters: the same words
        (4, False, 1, "course:T001", 20),
        (5, None, None, "field:garment", 1),
        (6, False, 3, "search:رایانه", 6),
    ]
    for user, relief, decile, how, days in people:
        person_id = await person(session_factory, user)
        kind, value = how.split(":")
        if kind == "search":
            result = await waitlists.join_search(
                person_id, CourseFilter(query=value, province=TEHRAN))
        elif kind == "course":
            result = await waitlists.join_course(person_id, value, same_standard=False)
        else:
            result = await waitlists.join_field(person_id, value, TEHRAN)
        assert result.entry is not None, (how, result)
        async with session_factory() as session:
            await session.execute(update(Person).where(Person.id == person_id).values(
                relief_client=relief, decile=decile, full_name=f"نام {user}",
                national_code=f"00123456{user:02d}"))
            await session.execute(update(Waitlist).where(Waitlist.id == result.entry.id).values(
                created_at=NOW - dt.timedelta(days=days)))
            await session.commit()
