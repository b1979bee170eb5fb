"""Counseling results in the database (SQLite, and PostgreSQL when TEST_DATABASE_URL is set) and
course suggestions from the shipped sample catalog on a fixed day."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.catalog import CatalogService
from services.catalog_import import import_courses
from services.counseling import (
    AnswerRejectedError,
    CounselingService,
    FieldCourses,
    Progress,
    load_counseling_data,
)
from services.jalali import jalali_to_gregorian
from storage.models import CounselingResult, Person, utcnow
from storage.repositories.counseling import CounselingRepository
from tests.counseling.test_scoring import COMPUTERS_OFFICE_NO_PHYSICAL

SAMPLE_CSV = Path(__file__).resolve().parents[2] / "data" / "sample_courses.csv"
SHIPPED = load_counseling_data()
# Before the first sample course starts (1405/09/15), so every sample course with seats is open.
TODAY = jalali_to_gregorian(1405, 9, 1)


async def _person(
    session_factory: async_sessionmaker[AsyncSession], province: str | None = "تهران"
) -> int:
    async with session_factory() as session:
        person = Person(full_name="Test", province=province, registered_at=utcnow())
        session.add(person)
        await session.commit()
        return person.id


async def test_repository_keeps_every_result_and_finds_the_newest(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    person_id = await _person(session_factory)
    other_id = await _person(session_factory)
    async with session_factory() as session:
        repo = CounselingRepository(session)
        assert await repo.latest(person_id) is None
        await repo.add(person_id=person_id, questionnaire_version="v1",
                       answers={"q": "a"}, top_fields=[{"field": "it", "score": 1.5}])
        await repo.add(person_id=person_id, questionnaire_version="v2",
                       answers={"q": "b", "متن": "پاسخ"}, top_fields=[{"field": "care"}])
        await repo.add(person_id=other_id, questionnaire_version="v9", answers={}, top_fields=[])
        await session.commit()
    async with session_factory() as session:
        repo = CounselingRepository(session)
        newest = await repo.latest(person_id)
        assert newest is not None
        assert (newest.questionnaire_version, newest.answers, newest.top_fields) == (
            "v2", {"q": "b", "متن": "پاسخ"}, [{"field": "care"}]
        )
        assert newest.created_at is not None
        assert await repo.count(person_id) == 2
        # Results go with the person.
        await session.execute(delete(Person).where(Person.id == person_id))
        await session.commit()
        assert await session.scalar(
            select(func.count()).select_from(CounselingResult)
            .where(CounselingResult.person_id == person_id)
        ) == 0
        assert await repo.count(other_id) == 1


async def test_finish_scores_stores_and_reads_back(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    service = CounselingService(session_factory, SHIPPED)
    person_id = await _person(session_factory)
    complete = Progress(SHIPPED.version, len(SHIPPED.questions), COMPUTERS_OFFICE_NO_PHYSICAL)
    saved = await service.finish(person_id, complete)

    assert [f.field_id for f in saved.fields] == ["it", "office_sales", "childcare"]
    # Tehran: it = 12 x 1.2; office work = 9 x 1.2 (see test_scoring / the data README).
    assert [f.score for f in saved.fields][:2] == [pytest.approx(14.4), pytest.approx(10.8)]
    assert saved.fields[0].reasons == (("enjoy", "computer"), ("digital", "easy"))
    assert saved.questionnaire_version == SHIPPED.version
    assert saved.answers == COMPUTERS_OFFICE_NO_PHYSICAL
    assert await service.latest(person_id) == saved
    assert service.is_current_version(saved)


async def test_incomplete_or_outdated_answers_store_nothing(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    service = CounselingService(session_factory, SHIPPED)
    person_id = await _person(session_factory)
    half = dict(list(COMPUTERS_OFFICE_NO_PHYSICAL.items())[:5])
    forged = {**COMPUTERS_OFFICE_NO_PHYSICAL, "place": "moon"}
    for progress in (
        Progress(SHIPPED.version, 5, half),
        Progress(SHIPPED.version, len(SHIPPED.questions), forged),
        Progress("an-older-version", len(SHIPPED.questions), COMPUTERS_OFFICE_NO_PHYSICAL),
    ):
        with pytest.raises(AnswerRejectedError):
            await service.finish(person_id, progress)
    assert await service.latest(person_id) is None


@pytest.fixture
async def catalog(session_factory: async_sessionmaker[AsyncSession]) -> CatalogService:
    report = await import_courses(session_factory, SAMPLE_CSV)
    assert report.ok, report.errors[:3]
    return CatalogService(session_factory)


def _codes(suggestions: list[FieldCourses]) -> list[list[str]]:
    return [[course.code for course in item.courses] for item in suggestions]


async def test_courses_come_from_home_then_neighbours_then_anywhere(
    session_factory: async_sessionmaker[AsyncSession], catalog: CatalogService
) -> None:
    service = CounselingService(session_factory, SHIPPED)
    fields = ["it", "office_sales", "childcare"]
    # Tehran has two IT courses (C004, C031, both 1405/11/20: by code) and one office course
    # (C006); no neighbour (Alborz, Qom, Markazi, Mazandaran, Semnan) has another, so the
    # soonest anywhere follows (C041, Sistan, 1405/10/01). Childcare exists only far away:
    # C035 (Lorestan) and C036 (South Khorasan), both 1405/11/01.
    tehran = await service.suggest_courses(catalog, fields, "تهران", TODAY)
    assert [s.field_id for s in tehran] == fields
    assert _codes(tehran) == [["C004", "C031"], ["C006", "C041"], ["C035", "C036"]]

    # Qom has no course at all: its first neighbour, Tehran, comes before anywhere else.
    qom = await service.suggest_courses(catalog, ["it"], "قم", TODAY)
    assert _codes(qom) == [["C004", "C031"]]

    # No province: the soonest anywhere (C003 Isfahan 1405/09/15, C032 Razavi 1405/10/15).
    anywhere = await service.suggest_courses(catalog, ["it"], None, TODAY)
    assert _codes(anywhere) == [["C003", "C032"]]


async def test_a_course_is_offered_once_and_closed_courses_never(
    session_factory: async_sessionmaker[AsyncSession], catalog: CatalogService
) -> None:
    service = CounselingService(session_factory, SHIPPED)
    # The same field twice: the second gets the next courses, not the same ones again.
    twice = await service.suggest_courses(catalog, ["it", "it"], "تهران", TODAY)
    assert _codes(twice) == [["C004", "C031"], ["C003", "C032"]]
    # Care (بهداشت و ایمنی): C034 in South Khorasan is full; only C033 (Kermanshah) is open.
    care = await service.suggest_courses(catalog, ["care"], "خراسان جنوبی", TODAY)
    assert _codes(care) == [["C033"]]
    # After every start date nothing is open.
    late = await service.suggest_courses(catalog, ["it"], "تهران", TODAY + dt.timedelta(days=400))
    assert _codes(late) == [[]]
    # A field id no longer in fields.json gets no courses (and no error).
    assert _codes(await service.suggest_courses(catalog, ["gone"], "تهران", TODAY)) == [[]]


async def test_near_home_keeps_to_home_and_neighbours_or_says_none_is_near(
    session_factory: async_sessionmaker[AsyncSession], catalog: CatalogService
) -> None:
    service = CounselingService(session_factory, SHIPPED)
    assert SHIPPED.wants_near_home({"travel": "no"})
    assert not SHIPPED.wants_near_home({"travel": "yes"})
    fields = ["it", "office_sales", "childcare"]
    near = await service.suggest_courses(catalog, fields, "تهران", TODAY, near_home=True)
    # Office work has one course in Tehran (C006) and no second one nearby: C041 (Sistan)
    # is not added. Childcare has none nearby: the nearest further away, marked far.
    assert _codes(near)[:2] == [["C004", "C031"], ["C006"]]
    assert [s.far for s in near] == [False, False, True]
    assert near[2].courses and all(
        c.province not in ("تهران", *SHIPPED.neighbours["تهران"]) for c in near[2].courses
    )


def test_q10_offers_working_at_ones_own_home_after_q9_asks_about_it() -> None:
    goal, place = SHIPPED.question("goal"), SHIPPED.question("place")
    assert goal is not None and place is not None
    assert goal.option("home") is not None
    own = place.option("own_home")
    assert own is not None and own.text.en == "At my own home" and own.weights
    assert [q.id for q in SHIPPED.questions].index("place") == [
        q.id for q in SHIPPED.questions
    ].index("goal") + 1
