"""Shared moves for the job-lead flow tests: skilled beneficiaries (an application enrolled in or
completed for a course of a field), leads posted through the service or the form, the sweep."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import itertools
from collections.abc import AsyncIterator
from typing import Any

import pytest
from persiantools.jdatetime import JalaliDate
from sqlalchemy import select, update

from bot.sandbox.models import ChatMessage
from bot.serving.match_notices import LEASE_NAME as SWEEP_LEASE
from services.jalali import today_in
from services.job_leads import JobLeadService, LeadDraft, Posted
from services.match_notices import deliver_all_due
from services.staff import StaffMember
from storage.models import Application, Course, JobInterest, MatchNotice, OutboxLease
from storage.models import Person as PersonRow
from tests.flows.harness import Person, Sandbox
from tests.flows.staff_steps import (
    ADMIN_IDS,
    beneficiary,
    person_id_of,
    sandbox_with_admins,
)

TAILORING = "صنایع پوشاک"
ELECTRICAL = "برق"
NOTICE = "A job lead that matches your skill:"
_codes = itertools.count(1)


@pytest.fixture
async def jobs_sandbox(
    database_url: str, database_kind: str, request: pytest.FixtureRequest
) -> AsyncIterator[Sandbox]:
    admins = ",".join(f"{platform}:{user_id}" for platform, user_id in ADMIN_IDS.items())
    # The periodic sweep only at start: the tests sweep when their clock says so.
    async with sandbox_with_admins(
        admins, database_url, database_kind, request, match_sweep_seconds=3600.0
    ) as box:
        await _service_sweep_stopped(box)
        yield box


async def _service_sweep_stopped(box: Sandbox) -> None:
    """Wait for the running service's first sweep to hold its lease, then stop its task: on a
    slow machine that first sweep could otherwise run after a test's first posts and split
    what one sweep of the test would send into two messages. The lease stays held, as a
    running service's would."""
    for _ in range(200):
        async with box.app.session_factory() as session:
            if await session.get(OutboxLease, SWEEP_LEASE) is not None:
                break
        await asyncio.sleep(0.05)
    else:
        raise AssertionError("the service's match-notice sweep never took its lease")
    assert box.senders is not None
    for task in box.senders.tasks:
        if task.get_name() == "match-notices":
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


def jobs(box: Sandbox) -> JobLeadService:
    service = box.app.services.job_lead_service
    assert isinstance(service, JobLeadService)
    return service


async def course_of(box: Sandbox, field: str, province: str = "تهران") -> str:
    code = f"JOB{next(_codes):04d}"
    async with box.app.session_factory() as session:
        session.add(Course(
            course_code=code, standard_code="7531-13-001-1", title_fa="دوره " + field,
            title_en=None, cluster_fa=field, province=province, city="شهر",
            center_name="مرکز شماره ۱", center_type="government",
            start_date=today_in() - dt.timedelta(days=30), capacity=20, seats_taken=0,
            fee_rial=50_000_000, hamnava_coverage_pct=70, karafan=False, dormitory=False,
            delivery="in_person",
        ))
        await session.commit()
    return code


async def skilled(
    box: Sandbox, platform: str, *, field: str = TAILORING, province: str = "تهران",
    status: str = "enrolled", **person: Any,
) -> Person:
    """A registered beneficiary with one application of `status` for a course of `field`;
    `person` sets Person columns (can_move, job_leads_digest, job_leads_opt_out ...)."""
    someone = await beneficiary(box, platform, province=province)
    person_id = await person_id_of(box, someone)
    code = await course_of(box, field, province)
    async with box.app.session_factory() as session:
        session.add(Application(
            person_id=person_id, program="hamnava", program_version="1", status=status,
            course_code=code, province=province, answers={},
        ))
        if person:
            await session.execute(
                update(PersonRow).where(PersonRow.id == person_id).values(**person)
            )
        await session.commit()
    return someone


def admin_member(platform: str) -> StaffMember:
    return StaffMember(platform=platform, user_id=ADMIN_IDS[platform],  # type: ignore[index]
                       is_admin=True, is_caseworker=False, provinces=None)


def jalali(day: dt.date) -> str:
    jalali_day = JalaliDate(day)
    return f"{jalali_day.year}/{jalali_day.month:02d}/{jalali_day.day:02d}"


async def post(
    box: Sandbox, platform: str, title: str, *, province: str = "تهران",
    fields: tuple[str, ...] = (TAILORING,), deadline: dt.date | None = None,
) -> Posted:
    draft = LeadDraft(
        title=title, employer="کارگاه نمونه", province=province, city=None, fields=fields,
        wage_text="حقوق پایه", deadline=deadline or today_in() + dt.timedelta(days=10),
        how_to_apply="تماس با ۰۲۱۱۲۳۴۵۶۷۸",
    )
    return await jobs(box).post(admin_member(platform), draft, f"{platform}:test")


async def sweep(box: Sandbox) -> int:
    """What one run of the periodic sweep does (the sandbox's own sweep holds the lease),
    then the senders drain what it wrote."""
    done = await deliver_all_due(box.app.session_factory, box.app.services.match_notice_ledger)
    box.app.notifier.queued()
    await box.outbox_settled()
    return done.messages


def notices(person: Person) -> list[ChatMessage]:
    return [m for m in person.messages()
            if m.outgoing and ("job lead" in (m.text or "") and "match" in (m.text or ""))]


async def ledger(box: Sandbox) -> list[MatchNotice]:
    async with box.app.session_factory() as session:
        return list(await session.scalars(select(MatchNotice).order_by(MatchNotice.id)))


async def interests(box: Sandbox) -> list[JobInterest]:
    async with box.app.session_factory() as session:
        return list(await session.scalars(select(JobInterest).order_by(JobInterest.id)))


async def press_for_toast(
    person: Person, message_id: int, data: str, *, forge: bool = False
) -> str:
    """Press a button (`forge`: data no button of that message has); returns the answer."""
    update = person.api.user_presses(person.token, person.user, message_id, data, forge=forge)
    await person.sandbox.pump(person.platform)
    answer = person.api.callback_answer(person.token, update["callback_query"]["id"])
    return str((answer or {}).get("text") or "")
