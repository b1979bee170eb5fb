"""Exam sessions: the enrolled told at creation (and nobody else), reminders at the right
times and never after a cancellation or a move, nor twice after a restart; answers recorded
and listed; forged presses answered politely."""

from __future__ import annotations

import datetime as dt
import re

import time_machine
from sqlalchemy import select

from bot.keyboards.exams import ExamAnswerCb
from bot.sandbox.user_side import inline_buttons
from services.exams import SessionInput
from storage.models import OutboxMessage
from storage.models import Person as PersonRow
from tests.flows.bidi import rtl_problems
from tests.flows.exam_steps import (
    SandboxFor,
    admin,
    admin_member,
    course_code,
    create_by_form,
    create_session,
    enrolled,
    exam_news,
    exams,
    last_toast,
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


async def test_no_reminder_after_cancel_nor_twice_after_move_and_restart(
    sandbox_for: SandboxFor, platform: str
) -> None:
    start = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=1)
    with time_machine.travel(start, tick=True) as clock:
        async with sandbox_for(exam_reminder_hours="24,2") as box:
            person = (await enrolled(box, platform)).person
            boss = admin(box, platform)
            cancelled = await create_session(box, platform, days_ahead=3)
            moved = await create_session(box, platform, days_ahead=4, kind="practical")
            assert len(exam_news(person)) == 2

            await boss.send(f"/cancelexam {cancelled.id}")
            assert "was cancelled" in boss.last_text(), boss.last_text()
            new_day = local_day(6)
            await boss.send(f"/moveexam {moved.id} {new_day} 11:30")
            assert "was moved" in boss.last_text(), boss.last_text()
            await box.outbox_settled()
            news = exam_news(person)
            assert any(text.startswith("🚫 This exam has been cancelled") for text in news), news
            assert any(text.startswith("🔄 The time") and "11:30" in text for text in news), news

            await box.restart()  # a new process: nothing is written again
            for moment in (
                cancelled.starts_at - dt.timedelta(hours=1),  # past both of the cancelled's
                moved.starts_at - dt.timedelta(hours=1),  # past both of the old time's
            ):
                clock.move_to(moment)
                await box.outbox_settled()
            assert reminders(person) == []

            begins = starts_at(new_day, "11:30")
            clock.move_to(begins - dt.timedelta(hours=23))
            await box.outbox_settled()
            clock.move_to(begins - dt.timedelta(hours=1))
            await box.outbox_settled()
            found = reminders(person)
            assert len(found) == 2 and all("11:30" in text for text in found), found


async def test_answers_are_recorded_changed_listed_and_forged_refused(
    sandbox_for: SandboxFor, platform: str
) -> None:
    async with sandbox_for() as box:
        first = (await enrolled(box, platform)).person
        second = (await enrolled(box, platform)).person
        outsider = (await enrolled(box, platform, province="اصفهان")).person
        view = await create_session(box, platform)

        said = await first.press("I will attend")
        assert any("You said you will attend" in (m.text or "") for m in said), said
        assert last_toast(first).startswith("Thank you")
        said = await first.press("I can't attend")
        assert any("Your answer has changed" in (m.text or "") for m in said), said
        await first.press("I can't attend")
        assert "already recorded" in last_toast(first)
        await second.press("I will attend")
        assert await exams(box).answer_of(view.id, await _pid(box, second)) == "attend"

        # A button of a session of another course, and one for no session at all.
        for session_id in (view.id, view.id + 1000):
            data = ExamAnswerCb(session=session_id, attend=True).pack()
            await outsider.press_data(outsider.last().message_id, data, forge=True)
            answer = last_toast(outsider)
            assert "not for you" in answer, answer
        assert await exams(box).answer_of(view.id, await _pid(box, outsider)) is None
        await outsider.press_data(outsider.last().message_id, "exa:x:y:z", forge=True)
        assert "no longer works" in last_toast(outsider)

        # My file shows the session ahead with the person's answer.
        await second.send("📂 My file")
        my_file = second.last().text or ""
        assert "Your exams ahead" in my_file and "will attend" in my_file, my_file

        boss = admin(box, platform)
        await boss.send(f"/exam {view.id}")
        listing = boss.last_text()
        assert "will attend: 1" in listing and "cannot attend" in listing, listing
        assert listing.count("Zahra Ahmadi") == 2, listing


async def _pid(box: object, person: object) -> int:
    from tests.flows.staff_steps import person_id_of

    return await person_id_of(box, person)  # type: ignore[arg-type]


async def test_persian_notice_reads_right_to_left_with_persian_digits(
    sandbox_for: SandboxFor, platform: str
) -> None:
    async with sandbox_for() as box:
        taker = await enrolled(box, platform)
        async with box.app.session_factory() as session:
            row = await session.get(PersonRow, taker.person_id)
            assert row is not None
            row.locale = "fa"
            await session.commit()
        box.app.services.account_service.cache.forget_person(taker.person_id)
        view, _ = await exams(box).create(
            SessionInput(course_code=course_code(), kind="practical", date_text=local_day(4),
                         time_text="08:15", place="کارگاه شماره ۲", capacity=12,
                         latitude=35.7, longitude=51.4),
            await admin_member(box, platform),
        )
        await box.outbox_settled()
        notice = taker.person.last()
        text = notice.text or ""
        assert text.startswith("🎓 برای دورهٔ شما آزمون تعیین شد."), text
        assert "آزمون عملی" in text and "۰۸:۱۵" in text, text
        assert not re.search(r"[0-9]", re.sub(r"https://\S+", "", text)), text
        assert rtl_problems([text]) == [], rtl_problems([text])
        labels = [label for label, _ in inline_buttons(notice)]
        assert labels == ["✅ شرکت می‌کنم", "❌ نمی‌توانم شرکت کنم"], labels
        assert view.latitude == 35.7


async def test_enrolled_later_is_told_of_sessions_already_set(
    sandbox_for: SandboxFor, platform: str
) -> None:
    async with sandbox_for(exam_reminder_hours="24,2") as box:
        await enrolled(box, platform)  # the course exists, someone is in it
        view = await create_session(box, platform, days_ahead=5)
        cancelled = await create_session(box, platform, days_ahead=6)
        boss = admin(box, platform)
        await boss.send(f"/cancelexam {cancelled.id}")
        late = await enrolled(box, platform)
        news = exam_news(late.person)
        assert len(news) == 1 and news[0].startswith("🎓 An exam"), news
        async with box.app.session_factory() as session:
            rows = (await session.scalars(select(OutboxMessage).where(
                OutboxMessage.kind == "exam_reminder",
                OutboxMessage.person_id == late.person_id,
            ))).all()
        assert sorted(row.payload["hours"] for row in rows) == [2, 24]
        assert {row.payload["session_id"] for row in rows} == {view.id}
