"""Shared moves for the exam tests: enrolled beneficiaries (made through ApplicationService),
a Jalali day ahead in Tehran, sessions made by the admin's chat form or the service, and what a
person was told about exams."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from services.exams import ExamService, SessionInput, SessionView
from services.jalali import to_jalali_text
from services.staff import StaffMember
from tests.flows.harness import Person, Sandbox
from tests.flows.staff_steps import (
    ADMIN_IDS,
    SandboxFor,
    StaffUser,
    Submitted,
    admin,
    applications,
    sandbox_for,
    submitted_application,
)

TEHRAN = ZoneInfo("Asia/Tehran")


def exams(box: Sandbox) -> ExamService:
    return box.app.services.exam_service


async def admin_member(box: Sandbox, platform: str) -> StaffMember:
    member = await box.app.services.staff_service.member(platform, ADMIN_IDS[platform])  # type: ignore[index]
    assert member is not None
    return member


async def enrolled(box: Sandbox, platform: str, province: str = "تهران") -> Submitted:
    """A beneficiary enrolled in their province's test course (STF1xx)."""
    sub = await submitted_application(box, platform, province=province)
    service = applications(box)
    boss = await admin_member(box, platform)
    await service.take(sub.app_id, boss)
    await service.approve(sub.app_id, boss)
    await service.mark_enrolled(sub.app_id, boss)
    await box.outbox_settled()
    return sub


def course_code(province: str = "تهران") -> str:
    from services.provinces import PROVINCES

    return f"STF{PROVINCES.index(province) + 100}"


def local_day(days_ahead: int) -> str:
    """The Jalali day `days_ahead` days from today in Tehran, as staff type it (Latin digits)."""
    return to_jalali_text(dt.datetime.now(TEHRAN).date() + dt.timedelta(days=days_ahead))


def starts_at(date_text: str, clock: str) -> dt.datetime:
    from services.exams import exam_moment

    return exam_moment(date_text, clock, "Asia/Tehran")


async def create_session(
    box: Sandbox, platform: str, *, days_ahead: int = 3, clock: str = "10:00",
    kind: str = "written", province: str = "تهران", capacity: int = 30,
) -> SessionView:
    """A session made through the service (the form has its own test)."""
    view, _ = await exams(box).create(
        SessionInput(course_code=course_code(province), kind=kind,
                     date_text=local_day(days_ahead), time_text=clock,
                     place="Tehran center no. 1", capacity=capacity),
        await admin_member(box, platform),
    )
    await box.outbox_settled()
    return view


async def create_by_form(
    boss: StaffUser, *, code: str, kind_label: str, date_text: str, clock: str,
    place: str = "Center no. 1, Azadi street", capacity: str = "25",
) -> str:
    """The admin fills /newexam in their private chat; returns the last answer."""
    await boss.send("/newexam")
    await boss.send(code)
    await boss.press(kind_label)
    await boss.send(date_text)
    await boss.send(clock)
    await boss.send(place)
    await boss.press("Skip")
    await boss.send(capacity)
    await boss.press("Create")
    return boss.last_text()


def exam_news(person: Person) -> list[str]:
    """What the bot told the person about exams (notices, reminders, results, certificates)."""
    marks = ("🎓 An exam", "⏰ Reminder", "🔄 The time", "🚫 This exam", "🎉 You passed",
             "did not pass", "🏅")
    return [m.text or "" for m in person.messages()
            if m.outgoing and any(mark in (m.text or "") for mark in marks)]


def reminders(person: Person) -> list[str]:
    return [text for text in exam_news(person) if text.startswith("⏰")]


__all__ = ["SandboxFor", "admin", "sandbox_for"]


def last_toast(person: Person) -> str:
    """The text of the newest callback answer of the person's bot (presses are sequential)."""
    callbacks = person.api.bot(person.token).callbacks
    answer = list(callbacks.values())[-1].answer
    assert answer is not None, "the button was not answered"
    return str(answer.get("text") or "")
