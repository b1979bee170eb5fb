"""Exam rows of the outbox, worded at send time from the session as it is then: news at
creation (with the answer buttons), a move (buttons again), a cancellation, a result with the
next step, a certificate; and the reminder, which says nothing when the session was moved,
cancelled or has started since it was written, or the person said they cannot come."""

from __future__ import annotations

from bot.keyboards.exams import answer_keyboard
from bot.notifications.outgoing import Outgoing
from bot.notifications.sender import Wording
from bot.texts.exams import (
    cancelled_text,
    certificate_text,
    created_text,
    moved_text,
    reminder_text,
    result_text,
)
from services.exams import EXAM_NEWS, EXAM_REMINDER, ExamEvent, ExamService
from services.outbox import OutboxItem


def exam_wordings(exams: ExamService, timezone: str) -> dict[str, Wording]:
    async def news(item: OutboxItem) -> Outgoing | None:
        event = ExamEvent(str(item.payload["event"]))
        if event is ExamEvent.RESULT:
            result = await exams.result_view(int(item.payload["result_id"]))
            return None if result is None else Outgoing(render=lambda: result_text(result))
        if event is ExamEvent.CERTIFICATE:
            certificate = await exams.certificate(int(item.payload["certificate_id"]))
            return None if certificate is None else Outgoing(
                render=lambda: certificate_text(certificate)
            )
        session_id = int(item.payload["session_id"])
        view = await exams.notice_view(session_id)
        if view is None:
            return None
        if event is ExamEvent.CANCELLED:
            return Outgoing(render=lambda: cancelled_text(view, timezone))
        # News of a time that has changed again (or been cancelled) since: the newer news says it.
        if view.cancelled or view.version != int(item.payload.get("version", view.version)):
            return None
        render = created_text if event is ExamEvent.CREATED else moved_text
        return Outgoing(
            render=lambda: render(view, timezone),
            keyboard=lambda: answer_keyboard(session_id),
        )

    async def reminder(item: OutboxItem) -> Outgoing | None:
        if item.person_id is None:
            return None
        view = await exams.reminder_due(
            int(item.payload["session_id"]), int(item.payload["version"]), item.person_id
        )
        if view is None:
            return None
        hours = int(item.payload["hours"])
        return Outgoing(
            render=lambda: reminder_text(view, timezone, hours),
            keyboard=lambda: answer_keyboard(view.id),
        )

    return {EXAM_NEWS: news, EXAM_REMINDER: reminder}
