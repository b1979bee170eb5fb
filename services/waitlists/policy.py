"""The course-opening kind of match notice: what the ledger asks at send time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.match_notices import DueNotice
from services.waitlists.model import (
    COURSE_OPENING,
    COURSE_OPENING_PRIORITY,
    COURSE_OPENINGS_OUTBOX,
)
from services.waitlists.service import month_ends
from storage.models import Application, Course
from storage.repositories.waitlists import WaitlistRepository

# An application in these states is not "applied" (a draft is unfinished, a withdrawal undone).
NOT_APPLIED = ("draft", "withdrawn")


class CourseOpeningPolicy:
    """A course is told while it is still open (start day not passed, seats left), to a person
    who has not applied to it and still has an entry it matches (not removed since). At most
    one message a day per person: the courses of one import come together; a second import
    the same day waits for the next day's digest hour."""

    kind = COURSE_OPENING
    outbox_kind = COURSE_OPENINGS_OUTBOX
    priority = COURSE_OPENING_PRIORITY
    once_a_day = True

    def __init__(self, timezone: str) -> None:
        self.zone = ZoneInfo(timezone)

    async def still_valid(
        self, session: AsyncSession, notices: Sequence[DueNotice], now: dt.datetime
    ) -> set[int]:
        today = now.astimezone(self.zone).date()
        courses = {n.subject_id for n in notices}
        persons = {n.person_id for n in notices}
        matched = {
            (person, course) for _, person, course in await WaitlistRepository(session).pairs(
                courses, today, month_ends(today), persons
            )
        }
        applied = {(row[0], row[1]) for row in await session.execute(
            select(Application.person_id, Course.id)
            .join(Course, Course.course_code == Application.course_code)
            .where(
                Application.person_id.in_(persons), Course.id.in_(courses),
                Application.status.not_in(NOT_APPLIED),
            )
        )}
        return {
            n.id for n in notices
            if (n.person_id, n.subject_id) in matched and (n.person_id, n.subject_id) not in applied
        }
