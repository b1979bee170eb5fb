"""Which courses a program offers: the Python rule and the SQL query agree on the sample
catalog, and full or started courses are never offered."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.applications import ApplicationService
from services.catalog import CourseStatus, card_of
from services.catalog_import import import_courses
from services.programs import ProgramRegistry, course_matches_program, course_qualifies
from storage.models import Course

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample_courses.csv"
TODAY = dt.date(2026, 11, 1)


async def test_sql_and_python_rules_agree(
    service: ApplicationService,
    session_factory: async_sessionmaker[AsyncSession],
    registry: ProgramRegistry,
) -> None:
    report = await import_courses(session_factory, SAMPLE)
    assert report is not None
    async with session_factory() as session:
        # Make one Hamnava course full, so "open" is tested too.
        await session.execute(
            update(Course).where(Course.course_code == "C001").values(seats_taken=Course.capacity)
        )
        await session.commit()
        cards = [card_of(c, TODAY) for c in await session.scalars(select(Course))]
    for program in registry.all():
        expected = sorted(
            (c.start_date, c.code) for c in cards if course_qualifies(program, c)
        )
        offered = await service.eligible_courses(program.id, today=TODAY, limit=1000)
        assert sorted((c.start_date, c.code) for c in offered) == expected, program.id
        assert expected, f"the sample catalog has no {program.id} course"
        assert all(c.status is CourseStatus.OPEN for c in offered)
    hamnava = registry.get("hamnava")
    assert hamnava is not None
    full = next(c for c in cards if c.code == "C001")
    assert course_matches_program(hamnava, full) and not course_qualifies(hamnava, full)
    karafan = registry.get("karafan")
    assert karafan is not None
    for card in cards:
        if course_matches_program(karafan, card):
            assert card.karafan or card.delivery == "workplace"
        if course_matches_program(hamnava, card):
            assert card.hamnava_coverage_pct > 0


@pytest.fixture
def database_kind() -> str:
    return "sqlite"


async def test_province_and_paging(
    service: ApplicationService, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    await import_courses(session_factory, SAMPLE)
    everything = await service.eligible_courses("hamnava", today=TODAY, limit=1000)
    tehran = await service.eligible_courses("hamnava", province="تهران", today=TODAY)
    assert tehran and all(c.province == "تهران" for c in tehran)
    assert len(tehran) < len(everything)
    page = await service.eligible_courses("hamnava", today=TODAY, limit=2, offset=1)
    assert [c.code for c in page] == [c.code for c in everything[1:3]]
    assert await service.eligible_courses("nope", today=TODAY) == []
