"""What the exam service's parts share: sessions, clock, staff scope, the session view."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.applications.staff_actions import normalize_tracking_code
from services.exams.model import ExamError, SessionView
from services.outbox import as_utc
from services.staff import StaffMember
from storage.db import read_sessions
from storage.models import Application, ExamSession, utcnow
from storage.repositories.courses import CourseRepository
from storage.repositories.exams import ExamRepository


class ExamBase:
    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        *,
        timezone: str = "Asia/Tehran",
        reminder_hours: tuple[int, ...] = (24, 2),
    ) -> None:
        self._sessions = session_factory
        self._reads = read_sessions(session_factory)  # for what a person's screens only read
        self.timezone = timezone
        self.reminder_hours = reminder_hours

    @property
    def session_factory(self) -> async_sessionmaker[AsyncSession]:
        """For a caller that writes many rows in one transaction (the import)."""
        return self._sessions

    @staticmethod
    def _now() -> dt.datetime:
        return utcnow()

    @staticmethod
    def _authorize(staff: StaffMember, province: str | None) -> None:
        if not staff.can_see_province(province):
            raise ExamError("not_allowed")

    async def _exam(self, session: AsyncSession, session_id: int) -> ExamSession:
        exam = await ExamRepository(session).get(session_id)
        if exam is None:
            raise ExamError("no_session", str(session_id))
        return exam

    async def _staff_exam(
        self, session: AsyncSession, session_id: int, staff: StaffMember
    ) -> ExamSession:
        exam = await self._exam(session, session_id)
        # Another province's session is answered as if it did not exist: ids are guessable.
        if not staff.can_see_province(exam.province):
            raise ExamError("no_session", str(session_id))
        return exam

    async def _enrolled_by_tracking(
        self, session: AsyncSession, course_code: str, tracking_code: str
    ) -> Application:
        """The enrolled application of the course with this tracking code (staff name people
        by it). ExamError unknown_tracking, or not_enrolled (another course, or not enrolled)."""
        code = normalize_tracking_code(tracking_code)
        repo = ExamRepository(session)
        app = None if code is None else await repo.application_by_tracking(code)
        if app is None:
            raise ExamError("unknown_tracking", tracking_code)
        if app.course_code != course_code or app.status != "enrolled":
            raise ExamError("not_enrolled", tracking_code)
        return app

    async def _view(self, session: AsyncSession, exam: ExamSession) -> SessionView:
        course = await CourseRepository(session).get_by_code(exam.course_code)
        return session_view(exam, course.title_fa if course is not None else exam.course_code)


def session_view(exam: ExamSession, title: str) -> SessionView:
    return SessionView(
        id=exam.id, course_code=exam.course_code, course_title=title, province=exam.province,
        kind=exam.kind, starts_at=as_utc(exam.starts_at), place=exam.place,
        latitude=exam.latitude, longitude=exam.longitude, capacity=exam.capacity,
        state=exam.state, version=exam.version,
    )
