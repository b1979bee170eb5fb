"""The course-opening notices against a real database (SQLite, and PostgreSQL when
TEST_DATABASE_URL is set), clock fixed: an import adding 5,000 matching courses gives each
waiting person one digest, not 5,000 messages; a person on two messengers gets one per
account; a course the person applied to is never told and applying ends the entries it
matches; a course that filled up before the sweep is dropped."""

from __future__ import annotations

from pathlib import Path

import time_machine
from sqlalchemy import select, update

from services.catalog import CourseFilter
from services.waitlists.service import applied_to
from storage.models import Application, Course, MessengerAccount
from tests.catalog.helpers import course_row
from tests.waitlists.helpers import (
    NOW,
    Factory,
    course_ids,
    import_file,
    notices,
    outbox,
    person,
    service,
    sweep,
)


async def test_five_thousand_matching_courses_make_one_digest(
    session_factory: Factory, tmp_path: Path
) -> None:
    waitlists = service(session_factory)
    with time_machine.travel(NOW, tick=False):
        someone = await person(session_factory, 1)
        await waitlists.join_search(someone, CourseFilter(query="خیاطی"))
        rows = [course_row(f"T{n:05d}") for n in range(5000)]
        report = await import_file(session_factory, waitlists, tmp_path, rows)
        assert report.waitlist_notices == 5000
        delivery = await sweep(session_factory)
    assert delivery.messages == 1 and delivery.notices_sent == 5000
    ((told, platform, subjects),) = await outbox(session_factory)
    assert told == someone and platform == "telegram" and len(subjects) == 5000


async def test_two_messengers_one_notice_each(session_factory: Factory, tmp_path: Path) -> None:
    waitlists = service(session_factory)
    with time_machine.travel(NOW, tick=False):
        someone = await person(session_factory, 1)
        bale = await person(session_factory, 2, platform="bale")
        async with session_factory() as session:  # the same person on Bale
            await session.execute(update(MessengerAccount).where(
                MessengerAccount.person_id == bale).values(person_id=someone))
            await session.commit()
        await waitlists.join_search(someone, CourseFilter(query="خیاط"))
        await import_file(session_factory, waitlists, tmp_path, [course_row("T001")])
        await sweep(session_factory)
    (course,) = await course_ids(session_factory, "T001")
    assert sorted(await outbox(session_factory)) == [
        (someone, "bale", [course]), (someone, "telegram", [course])
    ]


async def test_applied_or_filled_meanwhile_is_not_told(
    session_factory: Factory, tmp_path: Path
) -> None:
    waitlists = service(session_factory)
    with time_machine.travel(NOW, tick=False):
        applicant, late = await person(session_factory, 1), await person(session_factory, 2)
        for who in (applicant, late):
            await waitlists.join_search(who, CourseFilter(query="خیاطی"))
        await import_file(session_factory, waitlists, tmp_path, [
            course_row("T001"), course_row("T002"),
        ])
        first, second = await course_ids(session_factory, "T001", "T002")
        async with session_factory() as session:
            session.add(Application(person_id=applicant, program="hamnava", program_version="1",
                                    status="submitted", course_code="T001", answers={}))
            # T002 filled up before the sweep.
            await session.execute(update(Course).where(Course.id == second).values(
                seats_taken=Course.capacity))
            await session.commit()
        delivery = await sweep(session_factory)
        assert delivery.dropped == 3  # T001 for the applicant, T002 for both
        assert await outbox(session_factory) == [(late, "telegram", [first])]
        assert sorted(outcome or "" for _, _, outcome in await notices(session_factory)) == [
            "dropped", "dropped", "dropped", "sent"]
        # Applying ends the entries the course matches (the submission calls this).
        async with session_factory() as session:
            assert await applied_to(session, late, first, NOW.date()) == 1
            await session.commit()
        assert await waitlists.entries(late) == []
        assert len(await waitlists.entries(applicant)) == 1


async def test_removed_before_the_sweep_is_not_told(
    session_factory: Factory, tmp_path: Path
) -> None:
    waitlists = service(session_factory)
    with time_machine.travel(NOW, tick=False):
        someone = await person(session_factory, 1)
        joined = await waitlists.join_search(someone, CourseFilter(query="خیاطی"))
        await import_file(session_factory, waitlists, tmp_path, [course_row("T001")])
        assert joined.entry is not None
        assert await waitlists.remove(someone, joined.entry.id)
        delivery = await sweep(session_factory)
    assert delivery.dropped == 1 and await outbox(session_factory) == []
    async with session_factory() as session:
        assert (await session.scalars(select(Application))).all() == []
