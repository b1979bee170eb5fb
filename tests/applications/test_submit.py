"""Submitting: what it requires (answers, documents, an open course, eligibility), answers
and courses of a draft, discarding."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.applications import (
    ApplicationService,
    SetCourseOutcome,
    StartOutcome,
    Status,
    SubmitOutcome,
)
from storage.models import Application, Person
from tests.applications.conftest import HAMNAVA_ANSWERS, ready_draft
from tests.applications.helpers import TODAY, add_course, add_person, pdf


@pytest.fixture
def database_kind() -> str:
    # Database-independent rules; what differs per database is in test_duplicates.py.
    return "sqlite"


async def _count(sessions: async_sessionmaker[AsyncSession], model: type) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_incomplete_draft_lists_what_is_missing(
    service: ApplicationService, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    person = await add_person(session_factory)
    started = await service.start_or_resume(person, "hamnava", today=TODAY)
    assert started.outcome is StartOutcome.CREATED and started.view is not None
    app = started.view.id
    await service.set_answer(app, person, "employment", "unemployed", today=TODAY)
    await service.add_document(app, person, "national_card", pdf(1))
    result = await service.submit(app, person, today=TODAY)
    assert result.outcome is SubmitOutcome.INCOMPLETE
    assert result.missing_answers == ("household_size", "needs_dormitory")  # optional ones not
    assert result.missing_documents == ("birth_certificate", "education_certificate", "photo")
    assert result.missing_course is True
    view = await service.get_for_person(app, person)
    assert view is not None and view.status is Status.DRAFT and view.tracking_code is None


async def test_relief_clients_also_need_the_letter(
    service: ApplicationService, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    ready = await ready_draft(service, session_factory, relief_client=True, decile=None)
    result = await service.submit(ready.app_id, ready.person_id, today=TODAY)
    assert result.outcome is SubmitOutcome.INCOMPLETE
    assert result.missing_documents == ("relief_letter",)
    view = await service.get_for_person(ready.app_id, ready.person_id)
    assert view is not None
    assert "relief_letter" in [d.kind for d in service.required_documents(view)]
    await service.add_document(ready.app_id, ready.person_id, "relief_letter", pdf(50))
    assert (await service.submit(ready.app_id, ready.person_id, today=TODAY)).ok


async def test_course_must_still_be_open(
    service: ApplicationService, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    ready = await ready_draft(service, session_factory)
    await add_course(session_factory, "FULL", capacity=10, seats_taken=10)
    await add_course(session_factory, "OLD", start_date=TODAY - dt.timedelta(days=1))
    await add_course(session_factory, "NOHMN", hamnava_coverage_pct=0)
    for code, outcome in (("FULL", SetCourseOutcome.NOT_QUALIFIED),
                          ("OLD", SetCourseOutcome.NOT_QUALIFIED),
                          ("NOHMN", SetCourseOutcome.NOT_QUALIFIED),
                          ("NOPE", SetCourseOutcome.UNKNOWN_COURSE)):
        got = await service.set_course(ready.app_id, ready.person_id, code, today=TODAY)
        assert got is outcome, code
    offered = [c.code for c in await service.eligible_courses("hamnava", today=TODAY)]
    assert offered == ["H100"]
    # The chosen course fills up before submission.
    async with session_factory() as session:
        from storage.models import Course

        course = await session.scalar(select(Course).where(Course.course_code == "H100"))
        assert course is not None
        course.seats_taken = course.capacity
        await session.commit()
    result = await service.submit(ready.app_id, ready.person_id, today=TODAY)
    assert result.outcome is SubmitOutcome.COURSE_CLOSED
    assert await service.eligible_courses("hamnava", today=TODAY) == []


async def test_eligibility_is_checked_again_at_submission(
    service: ApplicationService, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    ready = await ready_draft(service, session_factory)
    async with session_factory() as session:
        person = await session.get(Person, ready.person_id)
        assert person is not None
        person.decile = 8
        await session.commit()
    result = await service.submit(ready.app_id, ready.person_id, today=TODAY)
    assert result.outcome is SubmitOutcome.NOT_ELIGIBLE
    assert [u.code for u in result.unmet] == ["any_of"]


async def test_ineligible_person_gets_no_draft(
    service: ApplicationService, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    person = await add_person(session_factory, decile=9, relief_client=False)
    result = await service.start_or_resume(person, "hamnava", today=TODAY)
    assert result.outcome is StartOutcome.NOT_ELIGIBLE and result.view is None
    assert result.unmet[0].code == "any_of"
    unregistered = await add_person(session_factory, registered_at=None)
    assert (await service.start_or_resume(unregistered, "hamnava")).outcome is (
        StartOutcome.NOT_REGISTERED
    )
    assert (await service.start_or_resume(person, "nope")).outcome is StartOutcome.UNKNOWN_PROGRAM
    assert await _count(session_factory, Application) == 0


async def test_discard_removes_the_draft_and_unused_files(
    service: ApplicationService, session_factory: async_sessionmaker[AsyncSession], store: object
) -> None:
    ready = await ready_draft(service, session_factory)
    view = await service.get_for_person(ready.app_id, ready.person_id)
    assert view is not None
    assert not await service.discard(ready.app_id, ready.person_id + 1)  # not theirs
    assert await service.discard(ready.app_id, ready.person_id)
    assert await service.get_for_person(ready.app_id, ready.person_id) is None
    assert await _count(session_factory, Application) == 0
    from storage.documents import document_key_of

    assert not await store.exists(document_key_of(pdf(0)))  # type: ignore[attr-defined]


async def test_answers_are_typed_and_only_while_draft(
    service: ApplicationService, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    from services.applications import ApplicationLocked, NotAuthorized

    ready = await ready_draft(service, session_factory)
    app, person = ready.app_id, ready.person_id
    error = await service.set_answer(app, person, "household_size", "بیست و یک")
    assert error is not None and error.code == "number.invalid"
    error = await service.set_answer(app, person, "household_size", "۲۱")
    assert error is not None and error.code == "number.too_large" and error.params == {"max": 20}
    assert await service.set_answer(app, person, "available_from", "۱۴۰۵/۱۰/۰۱",
                                    today=TODAY) is None
    assert await service.set_answer(app, person, "goal", "خیاطی") is None
    assert await service.set_answer(app, person, "goal", "") is None  # optional: cleared
    view = await service.get_for_person(app, person)
    assert view is not None
    assert view.answers == {**{"employment": "unemployed", "household_size": 4,
                               "needs_dormitory": False}, "available_from": "2026-12-22"}
    assert set(HAMNAVA_ANSWERS) <= set(view.answers)
    with pytest.raises(LookupError):
        await service.set_answer(app, person, "favourite_colour", "blue")
    with pytest.raises(NotAuthorized):
        await service.set_answer(app, person + 1, "employment", "student")
    await service.submit(app, person, today=TODAY)
    with pytest.raises(ApplicationLocked):
        await service.set_answer(app, person, "employment", "student")
    assert await service.set_course(app, person, "H100", today=TODAY) is (
        SetCourseOutcome.NOT_ALLOWED_NOW
    )
