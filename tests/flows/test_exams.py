"""Exam sessions: the enrolled told at creation (and nobody else), reminders at the right
times and never after a cancellation or a move, nor twice after a restart; answers recorded
and listed; forged presses answered politely."""

from __future__ import annotations

import datetime as dt

import time_machine

from bot.keyboards.exams import ExamAnswerCb
from bot.sandbox.user_side import inline_buttons
from tests.flows.exam_steps import (
    SandboxFor,
    admin,
    course_code,
    create_by_form,
    create_session,
    enrolled,
    exam_news,
    exams,
    local_day,
    reminders,
    sandbox_for,
    starts_at,
)
from tests.flows.staff_steps import submitted_application

__all__ = ["sandbox_for"]


async def test_created_by_form_tells_enrolled_and_reminds(
    sandbox_for: SandboxFor, platform: str
) -> None:
    start = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=1)
    with time_machine.travel(start, tick=True) as clock:
        async with sandbox_for(exam_reminder_hours="24,2") as box:
            taking = await enrolled(box, platform)
            waiting = await submitted_application(box, platform)  # same course, not enrolled
            day = local_day(3)
            answer = await create_by_form(
                admin(box, platform), code=course_code(), kind_label="Written", date_text=day,
                clock="10:00",
            )
            assert "was created" in answer and "who were told: 1" in answer, answer
            await box.outbox_settled()
            news = exam_news(taking.person)
            assert len(news) == 1, news
            [notice] = news
            assert "written exam" in notice and "Center no. 1" in notice, notice
            labels = [text for text, _ in inline_buttons(taking.person.last())]
            assert labels == ["✅ I will attend", "❌ I can't attend"], labels
            assert exam_news(waiting.person) == []

            begins = starts_at(day, "10:00")
            clock.move_to(begins - dt.timedelta(hours=24, minutes=1))
            await box.outbox_settled()
            assert reminders(taking.person) == []
            clock.move_to(begins - dt.timedelta(hours=23, minutes=59))
            await box.outbox_settled()
            [first] = reminders(taking.person)
            assert "24 hours" in first, first
            clock.move_to(begins - dt.timedelta(hours=1, minutes=59))
            await box.outbox_settled()
            assert len(reminders(taking.person)) == 2
            clock.move_to(begins + dt.timedelta(hours=1))
            await box.outbox_settled()
            assert len(reminders(taking.person)) == 2
            assert exam_news(waiting.person) == []
