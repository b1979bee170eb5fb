"""Results (the person told with the next step) and certificates (only after a passed
practical exam; the application moves to completed through the status machine)."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.applications.base import move_application
from services.applications.staff_actions import normalize_tracking_code, staff_ref
from services.applications.status import Status
from services.exams.base import ExamBase
from services.exams.model import (
    EXAM_NEWS,
    EXAM_PRIORITY,
    CertificateView,
    ExamError,
    ExamEvent,
    ExamKind,
    ExamState,
    ResultView,
)
from services.exams.sessions import started
from services.jalali import today_in
from services.outbox import enqueue
from services.staff import StaffMember
from services.text import normalize_digits, normalize_text
from services.webhooks import emitters as webhook_events
from storage.models import Certificate, ExamResult
from storage.repositories.courses import CourseRepository
from storage.repositories.exams import ExamRepository

_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/_\-]{0,39}$")


def check_certificate_number(text: str) -> str:
    number = normalize_digits(normalize_text(text)).replace(" ", "")
    if not _NUMBER.fullmatch(number):
        raise ExamError("number", text)
    return number


def check_score(text: str | None) -> int | None:
    if text is None or not normalize_text(text):
        return None
    digits = normalize_digits(normalize_text(text))
    if not digits.isdigit() or not 0 <= int(digits) <= 100:
        raise ExamError("score", text)
    return int(digits)


class ResultMethods(ExamBase):
    async def record_result(
        self, session_id: int, tracking_code: str, passed: bool, score: int | None,
        staff: StaffMember | None, *, recorded_by: str | None = None,
    ) -> ResultView:
        async with self._sessions() as session:
            result = await self.add_result(
                session, session_id, tracking_code, passed, score, staff,
                recorded_by=recorded_by,
            )
            exam = await ExamRepository(session).get(session_id)
            assert exam is not None
            view = ResultView(result.id, result.person_id, await self._view(session, exam),
                              result.score, result.passed)
            await session.commit()
            return view

    async def add_result(
        self, session: AsyncSession, session_id: int, tracking_code: str, passed: bool,
        score: int | None, staff: StaffMember | None, *, recorded_by: str | None = None,
    ) -> ExamResult:
        """In the caller's transaction (the import writes many); checked before anything is
        written. ExamError: no_session,
        cancelled, not_started, unknown_tracking, not_enrolled, score."""

        exam = (await self._staff_exam(session, session_id, staff) if staff is not None
                else await self._exam(session, session_id))
        if exam.state == ExamState.CANCELLED:
            raise ExamError("cancelled")
        if not started(exam, self._now()):
            raise ExamError("not_started")
        if score is not None and not 0 <= score <= 100:
            raise ExamError("score", str(score))
        app = await self._enrolled_by_tracking(session, exam.course_code, tracking_code)
        repo = ExamRepository(session)
        result = await repo.result(exam.id, app.person_id)
        if result is None:
            result = ExamResult(session_id=exam.id, person_id=app.person_id,
                                application_id=app.id, kind=exam.kind, score=score,
                                passed=passed, recorded_by="", recorded_at=self._now())
            repo.add_result(result)
        result.score, result.passed = score, passed
        result.recorded_by = staff_ref(staff) if staff is not None else (recorded_by or "import")
        result.recorded_at = self._now()
        await repo.flush()
        await enqueue(
            session, kind=EXAM_NEWS, person_id=app.person_id, priority=EXAM_PRIORITY,
            payload={"event": ExamEvent.RESULT.value, "session_id": exam.id,
                     "result_id": result.id},
        )
        await webhook_events.exam_result_recorded(session, result, exam, app)
        return result

    async def result_view(self, result_id: int) -> ResultView | None:
        async with self._sessions() as session:
            result = await session.get(ExamResult, result_id, populate_existing=True)
            if result is None:
                return None
            exam = await ExamRepository(session).get(result.session_id)
            if exam is None:
                return None
            return ResultView(result.id, result.person_id, await self._view(session, exam),
                              result.score, result.passed)

    async def issue_certificate(
        self, tracking_code: str, number: str, staff: StaffMember,
        issued_on: dt.date | None = None,
    ) -> CertificateView:
        """ExamError: unknown_tracking, not_enrolled (the application is not enrolled),
        no_passed_practical, already_certified, duplicate_number, number, not_allowed."""
        number = check_certificate_number(number)
        code = normalize_tracking_code(tracking_code)
        async with self._sessions() as session:
            repo = ExamRepository(session)
            app = None if code is None else await repo.application_by_tracking(code)
            if app is None or not staff.can_see_province(app.province):
                raise ExamError("unknown_tracking", tracking_code)
            if await repo.certificate_of_application(app.id) is not None:
                raise ExamError("already_certified", tracking_code)
            if app.status != Status.ENROLLED or not app.course_code:
                raise ExamError("not_enrolled", tracking_code)
            results = await repo.results_of_application(app.id)
            if not any(r.kind == ExamKind.PRACTICAL and r.passed for r in results):
                raise ExamError("no_passed_practical", tracking_code)
            if await repo.certificate_by_number(number) is not None:
                raise ExamError("duplicate_number", number)
            course = await CourseRepository(session).get_by_code(app.course_code)
            certificate = Certificate(
                number=number, issued_on=issued_on or today_in(self.timezone),
                person_id=app.person_id, application_id=app.id, course_code=app.course_code,
                standard_code=course.standard_code if course else "",
                title=course.title_fa if course else app.course_code,
                issued_by=staff_ref(staff), created_at=self._now(),
            )
            repo.add_certificate(certificate)
            await move_application(
                session, app, Status.COMPLETED, actor_kind="staff", actor_ref=staff_ref(staff),
                reason=f"certificate {number}",
            )
            await repo.flush()
            await enqueue(
                session, kind=EXAM_NEWS, person_id=app.person_id, priority=EXAM_PRIORITY,
                payload={"event": ExamEvent.CERTIFICATE.value,
                         "certificate_id": certificate.id},
            )
            await webhook_events.certificate_issued(session, certificate, app)
            try:
                await session.commit()
            except IntegrityError as exc:  # the same number issued meanwhile elsewhere
                raise ExamError("duplicate_number", number) from exc
            return certificate_view(certificate)

    async def certificate(self, certificate_id: int) -> CertificateView | None:
        async with self._sessions() as session:
            row = await ExamRepository(session).certificate(certificate_id)
            return None if row is None else certificate_view(row)

    async def certificates_of(self, person_id: int) -> list[CertificateView]:
        async with self._reads() as session:
            return [certificate_view(c) for c in await ExamRepository(session).certificates_of(
                person_id
            )]


def certificate_view(row: Certificate) -> CertificateView:
    return CertificateView(
        id=row.id, number=row.number, issued_on=row.issued_on, person_id=row.person_id,
        course_code=row.course_code, standard_code=row.standard_code, title=row.title,
    )


__all__ = ["ResultMethods", "check_certificate_number", "check_score"]
