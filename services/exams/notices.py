"""Exam news and reminders written to the outbox in the caller's transaction (ids only in the
payload; the bot words them at send time from the session as it is then). Everyone enrolled in
a course is written in one INSERT (enqueue_many), not a round trip per person."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncSession

from services.exams.model import EXAM_NEWS, EXAM_PRIORITY, EXAM_REMINDER, ExamEvent
from services.outbox import PersonMessage, as_utc, enqueue_many
from storage.models import ExamSession


async def tell_people(
    session: AsyncSession, exam: ExamSession, event: ExamEvent, person_ids: Iterable[int]
) -> int:
    """One notice per person about `exam`; returns the rows written (0: nobody reachable)."""
    payload = {"event": event.value, "session_id": exam.id, "version": exam.version}
    return await enqueue_many(session, [
        PersonMessage(person_id, EXAM_NEWS, payload, EXAM_PRIORITY) for person_id in person_ids
    ])


async def schedule_reminders(
    session: AsyncSession, exam: ExamSession, person_ids: Iterable[int],
    hours: tuple[int, ...], now: dt.datetime,
) -> None:
    """A reminder row per person and offset that still lies ahead. The version in the payload
    makes it void once the session is moved (the move writes new ones) or cancelled."""
    starts = as_utc(exam.starts_at)
    due = [(h, starts - dt.timedelta(hours=h)) for h in hours]
    await enqueue_many(session, [
        PersonMessage(
            person_id, EXAM_REMINDER,
            {"session_id": exam.id, "version": exam.version, "hours": h}, EXAM_PRIORITY, at,
        )
        for person_id in person_ids
        for h, at in due
        if at > now
    ])
