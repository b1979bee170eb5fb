"""Exam sessions from the staff side: create (told to the enrolled at once, reminders
scheduled), move (new time told, old reminders void, new ones written), cancel (told, every
reminder void), list, and the roll of who answered what."""

from __future__ import annotations

import datetime as dt
import math

from persiantools.jdatetime import JalaliDate
from sqlalchemy.ext.asyncio import AsyncSession

from services.applications.staff_actions import staff_ref
from services.exams.base import ExamBase, session_view
from services.exams.dates import exam_moment
from services.exams.model import (
    ExamError,
    ExamEvent,
    ExamKind,
    ExamState,
    RollLine,
    SessionInput,
    SessionView,
)
from services.exams.notices import schedule_reminders, tell_people
from services.jalali import PLAN_YEARS, local_date
from services.outbox import as_utc
from services.staff import StaffMember
from services.text import normalize_digits, normalize_text
from storage.models import Application, Course, ExamSession
from storage.repositories.courses import CourseRepository
from storage.repositories.exams import ExamRepository

MAX_CAPACITY = 100_000
PLACE_CHARS = 500


def check_kind(text: str) -> ExamKind:
    value = normalize_text(text).lower()
    aliases = {"written": ExamKind.WRITTEN, "کتبی": ExamKind.WRITTEN,
               "practical": ExamKind.PRACTICAL, "عملی": ExamKind.PRACTICAL}
    if value not in aliases:
        raise ExamError("kind", text)
    return aliases[value]


def check_place(text: str) -> str:
    place = normalize_text(text)
    if not place or len(place) > PLACE_CHARS:
        raise ExamError("place", text)
    return place


def check_capacity(value: int) -> int:
    if not 0 < value <= MAX_CAPACITY:
        raise ExamError("capacity", str(value))
    return value


def check_location(latitude: float | None, longitude: float | None) -> None:
    if (latitude is None) != (longitude is None):
        raise ExamError("location")
    if latitude is None or longitude is None:
        return
    if not (math.isfinite(latitude) and math.isfinite(longitude)
            and -90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ExamError("location")


def parse_capacity(text: str) -> int:
    digits = normalize_digits(normalize_text(text)).replace(",", "")
    if not digits.isdigit():
        raise ExamError("capacity", text)
    return check_capacity(int(digits))


class SessionMethods(ExamBase):
    def checked_moment(self, date_text: str, time_text: str) -> dt.datetime:
        """The UTC start of a typed Jalali day and time, refused if it is not ahead."""
        return self.checked_start(exam_moment(date_text, time_text, self.timezone),
                                  f"{date_text} {time_text}")

    def checked_start(self, moment: dt.datetime, shown: str = "") -> dt.datetime:
        """An aware start moment in UTC, refused (in_past) if it is not ahead."""
        if moment.tzinfo is None:
            raise ExamError("date.format", shown or moment.isoformat())
        try:
            moment = moment.astimezone(dt.UTC).replace(microsecond=0)
            year = JalaliDate(local_date(moment, self.timezone)).year
        except (OverflowError, ValueError):  # year 1 or 9999 with an offset
            raise ExamError("date.out_of_range", shown) from None
        if year not in PLAN_YEARS:  # the chat form's years too
            raise ExamError("date.out_of_range", shown or moment.isoformat())
        if moment <= self._now():
            raise ExamError("in_past", shown or moment.isoformat())
        return moment

    async def course_for_staff(self, code: str, staff: StaffMember) -> Course:
        async with self._sessions() as session:
            return await self._course(session, code, staff)

    async def _course(self, session: AsyncSession, code: str, staff: StaffMember) -> Course:
        course = await CourseRepository(session).get_by_code(normalize_digits(code.strip()))
        if course is None:
            raise ExamError("unknown_course", code)
        self._authorize(staff, course.province)
        return course

    async def create(self, data: SessionInput, staff: StaffMember | None, *,
                     created_by: str | None = None) -> tuple[SessionView, int]:
        """A new session; (its view, how many enrolled people were told). `staff` None only
        for an import from the command line (`created_by` names it)."""
        async with self._sessions() as session:
            exam, told = await self.add_session(session, data, staff, created_by=created_by)
            view = await self._view(session, exam)
            await session.commit()
            return view, told

    async def add_session(
        self, session: AsyncSession, data: SessionInput, staff: StaffMember | None, *,
        created_by: str | None = None,
    ) -> tuple[ExamSession, int]:
        """In the caller's transaction (the import writes many in one). Everything is checked
        before anything is written: a refused row leaves the transaction untouched."""
        kind = check_kind(data.kind)
        place = check_place(data.place)
        capacity = check_capacity(data.capacity)
        check_location(data.latitude, data.longitude)
        starts_at = (self.checked_start(data.starts_at) if data.starts_at is not None
                     else self.checked_moment(data.date_text, data.time_text))
        if staff is not None:
            course = await self._course(session, data.course_code, staff)
        else:
            found = await CourseRepository(session).get_by_code(data.course_code)
            if found is None:
                raise ExamError("unknown_course", data.course_code)
            course = found
        exam = ExamSession(
            course_code=course.course_code, province=course.province, kind=kind.value,
            starts_at=starts_at, place=place, latitude=data.latitude, longitude=data.longitude,
            capacity=capacity, state=ExamState.SCHEDULED.value, version=1,
            created_by=staff_ref(staff) if staff is not None else (created_by or "import"),
        )
        repo = ExamRepository(session)
        repo.add(exam)
        await repo.flush()
        people = [app.person_id for app in await repo.enrolled(exam.course_code)]
        await tell_people(session, exam, ExamEvent.CREATED, people)
        await schedule_reminders(session, exam, people, self.reminder_hours, self._now())
        return exam, len(people)

    async def tell_newly_enrolled(self, session: AsyncSession, app: Application) -> None:
        """In the transaction that enrols `app`: the course's sessions already set (and not
        started) are told to the person, their reminders scheduled, as if they had been
        enrolled when the sessions were made."""
        if not app.course_code:
            return
        now = self._now()
        for exam in await ExamRepository(session).scheduled_of_course(app.course_code, now):
            await tell_people(session, exam, ExamEvent.CREATED, [app.person_id])
            await schedule_reminders(session, exam, [app.person_id], self.reminder_hours, now)

    async def move(
        self, session_id: int, date_text: str, time_text: str, staff: StaffMember,
        place: str | None = None,
    ) -> tuple[SessionView, int]:
        return await self.move_to(
            session_id, self.checked_moment(date_text, time_text), staff, place
        )

    async def move_to(
        self, session_id: int, starts_at: dt.datetime, staff: StaffMember,
        place: str | None = None,
    ) -> tuple[SessionView, int]:
        """Move to an aware moment (the API's RFC 3339 time); the enrolled are told."""
        starts_at = self.checked_start(starts_at)
        async with self._sessions() as session:
            exam = await self._staff_exam(session, session_id, staff)
            if exam.state == ExamState.CANCELLED:
                raise ExamError("cancelled")
            exam.starts_at = starts_at
            if place is not None:
                exam.place = check_place(place)
            exam.version += 1
            exam.moved_at = self._now()
            repo = ExamRepository(session)
            await repo.flush()
            people = [app.person_id for app in await repo.enrolled(exam.course_code)]
            # Those who said they cannot come are asked again: the new time may suit them.
            await tell_people(session, exam, ExamEvent.MOVED, people)
            await schedule_reminders(session, exam, people, self.reminder_hours, self._now())
            view = await self._view(session, exam)
            await session.commit()
            return view, len(people)

    async def cancel(self, session_id: int, staff: StaffMember) -> tuple[SessionView, int]:
        async with self._sessions() as session:
            exam = await self._staff_exam(session, session_id, staff)
            if exam.state == ExamState.CANCELLED:
                raise ExamError("cancelled")
            exam.state = ExamState.CANCELLED.value
            exam.version += 1  # every reminder written so far is void
            repo = ExamRepository(session)
            await repo.flush()
            people = [app.person_id for app in await repo.enrolled(exam.course_code)]
            await tell_people(session, exam, ExamEvent.CANCELLED, people)
            view = await self._view(session, exam)
            await session.commit()
            return view, len(people)

    async def upcoming(self, staff: StaffMember, limit: int = 20) -> list[SessionView]:
        """Sessions not started yet (cancelled ones too, marked) in the member's provinces."""
        async with self._sessions() as session:
            exams = await ExamRepository(session).upcoming(
                self._now() - dt.timedelta(hours=12), staff.provinces, limit
            )
            return [await self._view(session, exam) for exam in exams]

    async def session_for_staff(self, session_id: int, staff: StaffMember) -> SessionView:
        async with self._sessions() as session:
            return await self._view(session, await self._staff_exam(session, session_id, staff))

    async def roll(
        self, session_id: int, staff: StaffMember
    ) -> tuple[SessionView, list[RollLine]]:
        """Everyone enrolled in the session's course, with their answer, attendance, result."""
        async with self._sessions() as session:
            exam = await self._staff_exam(session, session_id, staff)
            repo = ExamRepository(session)
            apps = await repo.enrolled(exam.course_code)
            answers = await repo.answers(exam.id)
            # People with an answer but no longer enrolled (completed, withdrawn) stay listed.
            ids = {app.person_id for app in apps} | set(answers)
            names = await repo.names(ids)
            results = await repo.results_of_session(exam.id)
            codes = {app.person_id: app.tracking_code for app in apps}
            lines = []
            for person_id in sorted(ids, key=lambda pid: (names.get(pid, ""), pid)):
                answer = answers.get(person_id)
                result = results.get(person_id)
                lines.append(RollLine(
                    person_id=person_id, name=names.get(person_id, ""),
                    tracking_code=codes.get(person_id),
                    answer=answer.answer if answer else None,
                    attended=answer.attended if answer else None,
                    passed=result.passed if result else None,
                    score=result.score if result else None,
                ))
            return await self._view(session, exam), lines


def started(exam: ExamSession, now: dt.datetime) -> bool:
    return as_utc(exam.starts_at) <= now


__all__ = ["SessionMethods", "session_view", "started"]
