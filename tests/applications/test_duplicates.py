"""Repeats and double taps create nothing new, one active application per program and
person, tracking-code sequences, drafts kept across restarts: on both databases."""

from __future__ import annotations

import asyncio
import datetime as dt
import re

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.applications import (
    ApplicationService,
    StartOutcome,
    SubmitOutcome,
)
from storage.db import create_engine, create_session_factory
from storage.models import Application, ApplicationEvent, ProgramSequence
from tests.applications.conftest import fill_hamnava, ready_draft, submitted
from tests.applications.helpers import PNG, TODAY, add_course, add_person, caseworker, pdf


async def _count(sessions: async_sessionmaker[AsyncSession], model: type) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_tracking_codes_per_program(
    service: ApplicationService, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    _, first = await submitted(service, session_factory)
    _, second = await submitted(service, session_factory)
    assert (first.tracking_code, second.tracking_code) == ("HMN-1405-000001", "HMN-1405-000002")
    await add_course(
        session_factory, "K1", karafan=True, hamnava_coverage_pct=0,
        start_date=dt.date(2027, 4, 1),
    )
    person = await add_person(session_factory)
    started = await service.start_or_resume(person, "karafan", "K1", today=TODAY)
    assert started.view is not None and started.view.course_code == "K1"
    app = started.view.id
    for question, raw in (("path", "job"), ("has_workplace", "yes"), ("needs_equipment", "no"),
                          ("experience_years", "۲")):
        assert await service.set_answer(app, person, question, raw) is None
    for n, kind in enumerate(("national_card", "birth_certificate", "education_certificate")):
        await service.add_document(app, person, kind, pdf(n))
    await service.add_document(app, person, "photo", PNG)
    # The Jalali year is that of the submission day: 1 Farvardin 1406 is 21 March 2027.
    result = await service.submit(app, person, today=dt.date(2027, 3, 21))
    assert result.tracking_code == "KRF-1406-000001"


async def test_second_submit_gives_the_same_code(
    service: ApplicationService, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    ready, first = await submitted(service, session_factory)
    again = await service.submit(ready.app_id, ready.person_id, today=TODAY)
    assert again.outcome is SubmitOutcome.ALREADY_SUBMITTED
    assert again.tracking_code == first.tracking_code
    assert again.ok
    assert await _count(session_factory, Application) == 1


async def test_double_tap_submit_concurrently(
    service: ApplicationService, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    ready = await ready_draft(service, session_factory)
    results = await asyncio.gather(
        *(service.submit(ready.app_id, ready.person_id, today=TODAY) for _ in range(3))
    )
    outcomes = sorted(r.outcome.value for r in results)
    assert outcomes == ["already_submitted", "already_submitted", "submitted"]
    assert {r.tracking_code for r in results} == {"HMN-1405-000001"}
    async with session_factory() as session:
        moves = await session.scalar(
            select(func.count()).where(ApplicationEvent.to_status == "submitted")
        )
        sequence = await session.get(ProgramSequence, "hamnava")
    assert moves == 1
    assert sequence is not None and sequence.last_value == 1


async def test_double_tap_start_concurrently(
    service: ApplicationService, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    await add_course(session_factory, "H100")
    person = await add_person(session_factory)
    results = await asyncio.gather(
        *(service.start_or_resume(person, "hamnava", "H100", today=TODAY) for _ in range(3))
    )
    assert sorted(r.outcome.value for r in results) == ["created", "resumed", "resumed"]
    assert len({r.view.id for r in results if r.view is not None}) == 1
    assert all(r.view is not None and r.view.course_code == "H100" for r in results)
    assert await _count(session_factory, Application) == 1


async def test_one_active_application_per_program(
    service: ApplicationService, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    ready, first = await submitted(service, session_factory)
    again = await service.start_or_resume(ready.person_id, "hamnava", today=TODAY)
    assert again.outcome is StartOutcome.ACTIVE_EXISTS
    assert again.view is not None and again.view.tracking_code == first.tracking_code
    # Another program is another slot.
    other = await service.start_or_resume(ready.person_id, "karafan", today=TODAY)
    assert other.outcome is StartOutcome.CREATED
    # After a decision the person may apply again.
    staff = caseworker("تهران")
    await service.take(ready.app_id, staff)
    await service.reject(ready.app_id, staff, "ظرفیت تکمیل")
    fresh = await service.start_or_resume(ready.person_id, "hamnava", today=TODAY)
    assert fresh.outcome is StartOutcome.CREATED
    assert fresh.view is not None and fresh.view.id != ready.app_id


async def test_the_database_refuses_a_second_active_row(
    service: ApplicationService, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    """The partial unique index holds even for code that skips the service check."""
    ready, _ = await submitted(service, session_factory)
    row = {"person_id": ready.person_id, "program": "hamnava", "program_version": "x",
           "answers": {}}
    async with session_factory() as session:
        session.add(Application(status="draft", **row))
        with pytest.raises(IntegrityError):
            await session.commit()
    async with session_factory() as session:  # inactive rows are not limited
        session.add(Application(status="withdrawn", **row))
        session.add(Application(status="rejected", **row))
        await session.commit()


async def test_draft_survives_a_restart(
    service: ApplicationService, database_url: str, registry: object, store: object
) -> None:
    """Everything is in the database: a new engine and service see the same draft."""
    engine = create_engine(database_url)
    try:
        sessions = create_session_factory(engine)
        await add_course(sessions, "H100")
        person = await add_person(sessions)
        started = await service.start_or_resume(person, "hamnava", "H100", today=TODAY)
        assert started.view is not None
        await fill_hamnava(service, person, started.view.id)
    finally:
        await engine.dispose()
    engine = create_engine(database_url)
    try:
        reborn = ApplicationService(create_session_factory(engine), registry, store)  # type: ignore[arg-type]
        [draft] = await reborn.drafts(person)
        assert draft.id == started.view.id and draft.course_code == "H100"
        assert draft.answers == {"employment": "unemployed", "household_size": 4,
                                 "needs_dormitory": False}
        assert len(draft.documents) == 4
        resumed = await reborn.start_or_resume(person, "hamnava", today=TODAY)
        assert resumed.outcome is StartOutcome.RESUMED
        result = await reborn.submit(draft.id, person, today=TODAY)
        assert result.tracking_code is not None
        assert re.fullmatch(r"HMN-1405-\d{6}", result.tracking_code)
    finally:
        await engine.dispose()
