"""Exam news and reminders written to the outbox in the caller's transaction (ids only in the
payload; the bot words them at send time from the session as it is then)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncSession

from services.exams.model import EXAM_NEWS, EXAM_PRIORITY, EXAM_REMINDER, ExamEvent
from services.outbox import enqueue
from storage.models import ExamSession


async def tell_people(
    session: AsyncSession, exam: ExamSession, event: ExamEvent, person_ids: Iterable[int]
) -> int:
    """One notice per person about `exam`; returns the rows written (0: nobody reachable)."""
    rows = 0
    for person_id in person_ids:
        rows += await enqueue(
            session, kind=EXAM_NEWS, person_id=person_id, priority=EXAM_PRIORITY,
            payload={"event": event.value, "session_id": exam.id, "version": exam.version},
        )
    return rows


async def schedule_reminders(
    session: AsyncSession, exam: ExamSession, person_ids: Iterable[int],
    hours: tuple[int, ...], now: dt.datetime,
) -> None:
    """A reminder row per person and offset that still lies ahead. The version in the payload
    makes it void once the session is moved (the move writes new ones) or cancelled."""
    starts = exam.starts_at if exam.starts_at.tzinfo else exam.starts_at.replace(tzinfo=dt.UTC)
    moments = [(h, starts - dt.timedelta(hours=h)) for h in hours]
    due = [(h, at) for h, at in moments if at > now]
    if not due:
        return
    for person_id in person_ids:
        for h, at in due:
            await enqueue(
                session, kind=EXAM_REMINDER, person_id=person_id, priority=EXAM_PRIORITY,
                not_before=at,
                payload={"session_id": exam.id, "version": exam.version, "hours": h},
            )
