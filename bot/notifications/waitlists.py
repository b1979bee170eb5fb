"""The outbox wording of course-opening notices (services/waitlists → kind "course_openings"):
one course or a digest, each with a button to its card. Checked again at send time: a course
that filled up or started while the row waited is left out; a row left with none says nothing."""

from __future__ import annotations

from bot.notifications.outgoing import Outgoing
from bot.notifications.sender import Wording
from bot.texts.waitlists import notice_keyboard, notice_text
from services.match_notices import subjects_of
from services.outbox import OutboxItem
from services.waitlists import COURSE_OPENINGS_OUTBOX, WaitlistService


def waitlist_wordings(service: WaitlistService) -> dict[str, Wording]:
    async def course_openings(item: OutboxItem) -> Outgoing | None:
        courses = await service.open_courses(subjects_of(item.payload))
        if not courses:
            return None
        return Outgoing(render=lambda: notice_text(courses),
                        keyboard=lambda: notice_keyboard(courses))

    return {COURSE_OPENINGS_OUTBOX: course_openings}
