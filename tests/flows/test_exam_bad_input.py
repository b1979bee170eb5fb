"""Bad input to the exam form, each answered with its reason and the question kept: a day in
the past, Jalali days that do not exist, a Gregorian date (refused with a hint, never read as
Jalali), a capacity of zero; a non-staff member and a caseworker of another province cannot
create a session, nor see, move or cancel one; a full session refuses «I will attend»."""

from __future__ import annotations

import datetime as dt

import time_machine
from sqlalchemy import func, select

from storage.models import ExamSession
from tests.flows.exam_steps import (
    SandboxFor,
    admin,
    course_code,
    create_session,
    enrolled,
    last_toast,
    local_day,
    sandbox_for,
    starts_at,
)
from tests.flows.harness import Sandbox
from tests.flows.staff_steps import add_caseworker, ensure_course, staff_user

__all__ = ["sandbox_for"]


async def _sessions(box: Sandbox) -> int:
    async with box.app.session_factory() as session:
        return int(await session.scalar(select(func.count()).select_from(ExamSession)) or 0)


async def test_bad_dates_times_and_capacity(sandbox_for: SandboxFor, platform: str) -> None:
    async with sandbox_for() as box:
        await ensure_course(box, course_code(), "تهران")
        boss = admin(box, platform)
        await boss.send("/newexam")
        await boss.send("NOPE-1")
        assert "no course with this code" in boss.last_text()
        await boss.send(course_code())
        await boss.press("Written")
        for typed, words in (
            ("1403/07/31", "does not exist in the Jalali calendar"),
            ("1404/12/30", "does not exist in the Jalali calendar"),
            ("2026-12-20", "looks like a Gregorian date"),
            ("2026/12/20", "looks like a Gregorian date"),
            ("20 December", "in the Jalali calendar, like"),
            (local_day(-2), "already passed"),
        ):
            await boss.send(typed)
            assert words in boss.last_text(), (typed, boss.last_text())
        await boss.send(local_day(0))
        await boss.send("00:01")  # earlier today
        assert "already passed" in boss.last_text(), boss.last_text()
        await boss.send(local_day(5))
        await boss.send("25:99")
        assert "hour and minute" in boss.last_text(), boss.last_text()
        await boss.send("۹:۳۰")
        await boss.send("Center no. 1")
        await boss.press("Skip")
        await boss.send("0")
        assert "greater than zero" in boss.last_text(), boss.last_text()
        assert await _sessions(box) == 0
        await boss.send("/cancel")
        assert "was not created" in boss.last_text()
        assert await _sessions(box) == 0


async def test_non_staff_and_other_province_cannot_create(
    sandbox_for: SandboxFor, platform: str
) -> None:
    async with sandbox_for() as box:
        await ensure_course(box, course_code(), "تهران")
        stranger = staff_user(box, platform)  # not staff
        await stranger.send("/newexam")
        assert "New exam session" not in stranger.last_text()
        await stranger.in_group().send("/newexam")
        assert "for staff members only" in stranger.in_group().last_text()

        worker = staff_user(box, platform)
        await add_caseworker(admin(box, platform), worker, "اصفهان")
        await worker.send("/newexam")
        await worker.send(course_code())
        assert "only for the courses of your provinces" in worker.last_text(), worker.last_text()
        assert await _sessions(box) == 0


async def test_full_session_and_another_provinces_session(
    sandbox_for: SandboxFor, platform: str
) -> None:
    async with sandbox_for() as box:
        first = (await enrolled(box, platform)).person
        second = (await enrolled(box, platform)).person
        view = await create_session(box, platform, capacity=1)
        await first.press("I will attend")
        await second.press("I will attend")
        assert "session is full" in last_toast(second), last_toast(second)
        await second.press("I can't attend")  # still possible to say so
        assert "recorded" in last_toast(second)

        worker = staff_user(box, platform)
        await add_caseworker(admin(box, platform), worker, "اصفهان")
        for command in (f"/exam {view.id}", f"/cancelexam {view.id}",
                        f"/moveexam {view.id} {local_day(9)} 10:00"):
            await worker.send(command)
            assert "no such exam session" in worker.last_text(), (command, worker.last_text())
        await worker.send("/exams")
        assert "No exam sessions ahead" in worker.last_text(), worker.last_text()


async def test_time_passed_while_the_form_was_open(
    sandbox_for: SandboxFor, platform: str
) -> None:
    start = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=1)
    with time_machine.travel(start, tick=True) as clock:
        async with sandbox_for() as box:
            await ensure_course(box, course_code(), "تهران")
            boss = admin(box, platform)
            day = local_day(1)
            for step in ("/newexam", course_code()):
                await boss.send(step)
            await boss.press("Written")
            for step in (day, "10:00", "Center no. 1"):
                await boss.send(step)
            await boss.press("Skip")
            await boss.send("20")
            assert "Please check the new exam session" in boss.last_text()
            clock.move_to(starts_at(day, "10:00") + dt.timedelta(minutes=5))
            await boss.send("/exams")  # a command still works while the form waits
            assert "No exam sessions ahead" in boss.last_text(), boss.last_text()
            await boss.press("Create")
            assert "already passed" in boss.last_text(), boss.last_text()
            assert await _sessions(box) == 0
            await boss.send(local_day(2))
            assert "what time" in boss.last_text(), boss.last_text()
