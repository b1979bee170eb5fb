"""A person's answer to a session («I will attend» / «I can't attend»), staff marking who came,
and what an exam notice or reminder has to say at send time."""

from __future__ import annotations

import logging

from sqlalchemy import func, select

from services.applications.staff_actions import staff_ref
from services.exams.base import ExamBase
from services.exams.model import (
    Answer,
    AnswerOutcome,
    ExamError,
    ExamState,
    PersonExam,
    SessionView,
)
from services.exams.sessions import started
from services.staff import StaffMember
from storage.models import ExamAnswer
from storage.repositories.exams import ExamRepository

logger = logging.getLogger(__name__)


class AttendanceMethods(ExamBase):
    async def answer(self, session_id: int, person_id: int, attend: bool) -> AnswerOutcome:
        """Record (or change) the person's answer. ExamError: no_session (also for a session
        of a course they are not enrolled in: a forged button), cancelled, started, full."""
        choice = Answer.ATTEND if attend else Answer.ABSENT
        async with self._sessions() as session:
            repo = ExamRepository(session)
            exam = await repo.get(session_id)
            if exam is None or await repo.enrolled_application(
                exam.course_code, person_id
            ) is None:
                if exam is not None:
                    logger.warning("person %s answered session %s of another course",
                                   person_id, session_id)
                raise ExamError("no_session", str(session_id))
            if exam.state == ExamState.CANCELLED:
                raise ExamError("cancelled")
            if started(exam, self._now()):
                raise ExamError("started")
            row = await repo.answer_or_new(exam.id, person_id)
            before = row.answer
            if choice is Answer.ATTEND and before != Answer.ATTEND:
                coming = await session.scalar(
                    select(func.count()).select_from(ExamAnswer).where(
                        ExamAnswer.session_id == exam.id, ExamAnswer.answer == Answer.ATTEND
                    )
                )
                if (coming or 0) >= exam.capacity:
                    raise ExamError("full")
            row.answer = choice.value
            row.answered_at = self._now()
            view = await self._view(session, exam)
            await session.commit()
            return AnswerOutcome(
                answer=choice, changed=before is not None and before != choice,
                same=before == choice, session=view,
            )

    async def mark_attendance(
        self, session_id: int, tracking_code: str, attended: bool, staff: StaffMember
    ) -> str:
        """Staff mark who came; returns the person's name. ExamError: no_session,
        unknown_tracking, not_enrolled, not_started."""
        async with self._sessions() as session:
            exam = await self._staff_exam(session, session_id, staff)
            if exam.state == ExamState.CANCELLED:
                raise ExamError("cancelled")
            if not started(exam, self._now()):
                raise ExamError("not_started")
            app = await self._enrolled_by_tracking(session, exam.course_code, tracking_code)
            repo = ExamRepository(session)
            row = await repo.answer_or_new(exam.id, app.person_id)
            row.attended = attended
            row.marked_by = staff_ref(staff)
            row.marked_at = self._now()
            name = (await repo.names([app.person_id])).get(app.person_id, "")
            await session.commit()
            return name

    # --- the sender's questions ------------------------------------------------------------

    async def notice_view(self, session_id: int) -> SessionView | None:
        async with self._sessions() as session:
            exam = await ExamRepository(session).get(session_id)
            return None if exam is None else await self._view(session, exam)

    async def reminder_due(
        self, session_id: int, version: int, person_id: int
    ) -> SessionView | None:
        """The session if a reminder written for `version` still has something to say: not
        when it was cancelled or moved since (the move wrote new reminders), has started, the
        person is no longer enrolled, or they said they cannot come."""
        async with self._sessions() as session:
            repo = ExamRepository(session)
            exam = await repo.get(session_id)
            if (
                exam is None or exam.state != ExamState.SCHEDULED or exam.version != version
                or started(exam, self._now())
                or await repo.enrolled_application(exam.course_code, person_id) is None
            ):
                return None
            answer = await repo.answer(exam.id, person_id)
            if answer is not None and answer.answer == Answer.ABSENT:
                return None
            return await self._view(session, exam)

    async def answer_of(self, session_id: int, person_id: int) -> str | None:
        async with self._sessions() as session:
            row = await ExamRepository(session).answer(session_id, person_id)
            return row.answer if row is not None else None

    async def exams_of(self, person_id: int) -> list[PersonExam]:
        """Upcoming scheduled sessions of the courses the person is enrolled in (My file)."""
        async with self._reads() as session:
            rows = await ExamRepository(session).sessions_of_person(person_id, self._now())
            return [
                PersonExam(await self._view(session, exam), answer.answer if answer else None)
                for exam, answer in rows
            ]
