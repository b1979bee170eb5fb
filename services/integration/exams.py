"""Exams for a connected system: sessions (pages, one, create, move, cancel) through the
ExamService as a caseworker of the client's provinces would (the same checks; the enrolled told
through the outbox exactly as from the chat), a session's roll, attendance, results (the person
told with the next step) and certificates (the application completed). Reads that hold people
(the roll, certificates) are audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.api_clients import ClientIdentity, write_audit
from services.applications.staff_actions import normalize_tracking_code
from services.exams import (
    CertificateView,
    ExamError,
    ExamService,
    ResultView,
    RollLine,
    SessionInput,
    SessionView,
)
from services.exams.base import session_view
from services.exams.results import certificate_view
from services.integration.actor import acting_staff
from services.integration.errors import (
    IntegrationConflict,
    IntegrationInvalid,
    IntegrationNotFound,
)
from services.jalali import today_in
from storage.repositories.api_reads import ApiReadRepository, ExamSessionFilter
from storage.repositories.exams import ExamRepository

# 1390 SH: the first of the plan's years (services.jalali.PLAN_YEARS).
PLAN_START_YEAR = 2011
# ExamError code -> (the body field it is about, stable code, plain English). A 422 each.
_INVALID: dict[str, tuple[str, str, str]] = {
    "kind": ("kind", "invalid-kind", "kind is written or practical"),
    "place": ("place", "invalid-place", "place is required, at most 500 characters"),
    "capacity": ("capacity", "invalid-capacity", "capacity is a whole number from 1"),
    "location": ("latitude", "invalid-location",
                 "latitude and longitude are given together, within their ranges"),
    "in_past": ("starts_at", "starts-in-past", "the start must lie ahead"),
    "date.format": ("starts_at", "invalid-starts-at", "an RFC 3339 time with its offset"),
    "date.out_of_range": ("starts_at", "starts-out-of-range",
                          "the start lies outside the years the plan covers (1390-1480 SH)"),
    "unknown_course": ("course_code", "unknown-course",
                       "no such course in the client's provinces"),
    "not_allowed": ("course_code", "unknown-course", "no such course in the client's provinces"),
    "score": ("score", "invalid-score", "score is 0..100"),
    "number": ("number", "invalid-certificate-number",
               "1-40 Latin letters, digits, '/', '_' or '-'"),
}
# ExamError code -> (stable code, plain English). A 409 each: the state forbids the request.
_CONFLICT: dict[str, tuple[str, str]] = {
    "cancelled": ("session-cancelled", "the session is cancelled"),
    "started": ("session-started", "the session has started"),
    "not_started": ("session-not-held-yet", "the session has not started yet"),
    "full": ("session-full", "the session is full"),
    "not_enrolled": ("not-enrolled",
                     "no application with this tracking code is enrolled in the course"),
    "unknown_tracking": ("not-enrolled",
                         "no application with this tracking code is enrolled in the course"),
    "no_passed_practical": ("no-passed-practical",
                            "a certificate needs a passed practical exam result"),
    "already_certified": ("already-certified", "this application has its certificate"),
    "duplicate_number": ("duplicate-certificate-number",
                         "a certificate with this number exists"),
}


def as_integration_error(error: ExamError) -> Exception:
    if error.code == "no_session":
        return IntegrationNotFound(f"exam session {error.detail}")
    if error.code in _CONFLICT:
        code, reason = _CONFLICT[error.code]
        return IntegrationConflict(code, reason)
    field, code, reason = _INVALID.get(
        error.code, ("starts_at", "invalid-starts-at", "not a time the exam can take")
    )
    return IntegrationInvalid(code, reason, errors=[
        {"loc": ["body", field], "msg": reason, "type": error.code}
    ])


def _tracking(text: str) -> str:
    code = normalize_tracking_code(text)
    if code is None:
        raise IntegrationInvalid("invalid-tracking-code", "not a tracking code", errors=[
            {"loc": ["body", "tracking_code"], "msg": "not a tracking code",
             "type": "tracking_code"}
        ])
    return code


@dataclass(frozen=True, slots=True)
class SessionPage:
    items: list[SessionView]
    next_after: int | None


@dataclass(frozen=True, slots=True)
class SessionChange:
    session: SessionView
    told: int  # enrolled people told (each through every reachable messenger)


@dataclass(frozen=True, slots=True)
class RecordedResult:
    result: ResultView
    tracking_code: str


class IntegrationExams:
    def __init__(
        self, session_factory: async_sessionmaker[AsyncSession], exams: ExamService
    ) -> None:
        self._sessions = session_factory
        self._exams = exams

    async def page(
        self, client: ClientIdentity, where: ExamSessionFilter, after_id: int, limit: int
    ) -> SessionPage:
        async with self._sessions() as session:
            rows = await ApiReadRepository(session).exam_sessions_page(
                where, client.provinces, after_id, limit + 1
            )
        more = len(rows) > limit
        rows = rows[:limit]
        items = [session_view(exam, title or exam.course_code) for exam, title in rows]
        return SessionPage(items, items[-1].id if more else None)

    async def record(self, client: ClientIdentity, session_id: int) -> SessionView:
        try:
            return await self._exams.session_for_staff(session_id, acting_staff(client))
        except ExamError as error:
            raise as_integration_error(error) from None

    async def create(self, client: ClientIdentity, data: SessionInput) -> SessionChange:
        try:
            view, told = await self._exams.create(data, acting_staff(client))
        except ExamError as error:
            raise as_integration_error(error) from None
        await self._audit(client, "exam_session.create", f"exam_session:{view.id}")
        return SessionChange(view, told)

    async def move(
        self, client: ClientIdentity, session_id: int, starts_at: dt.datetime,
        place: str | None,
    ) -> SessionChange:
        try:
            view, told = await self._exams.move_to(
                session_id, starts_at, acting_staff(client), place
            )
        except ExamError as error:
            raise as_integration_error(error) from None
        await self._audit(client, "exam_session.move", f"exam_session:{session_id}")
        return SessionChange(view, told)

    async def cancel(self, client: ClientIdentity, session_id: int) -> SessionChange:
        try:
            view, told = await self._exams.cancel(session_id, acting_staff(client))
        except ExamError as error:
            raise as_integration_error(error) from None
        await self._audit(client, "exam_session.cancel", f"exam_session:{session_id}")
        return SessionChange(view, told)

    async def roll(
        self, client: ClientIdentity, session_id: int
    ) -> tuple[SessionView, list[RollLine]]:
        """Everyone enrolled with their answer, attendance and result (names: audited)."""
        try:
            view, lines = await self._exams.roll(session_id, acting_staff(client))
        except ExamError as error:
            raise as_integration_error(error) from None
        await self._audit(client, "exam_session.roll", f"exam_session:{session_id}")
        return view, lines

    async def mark_attendance(
        self, client: ClientIdentity, session_id: int, tracking_code: str, attended: bool
    ) -> str:
        code = _tracking(tracking_code)
        try:
            await self._exams.mark_attendance(session_id, code, attended, acting_staff(client))
        except ExamError as error:
            raise as_integration_error(error) from None
        await self._audit(client, "exam.attendance", f"exam_session:{session_id} {code}")
        return code

    async def record_result(
        self, client: ClientIdentity, session_id: int, tracking_code: str, passed: bool,
        score: int | None,
    ) -> RecordedResult:
        """The person is told through the outbox, with the next step, in the same
        transaction."""
        code = _tracking(tracking_code)
        try:
            result = await self._exams.record_result(
                session_id, code, passed, score, acting_staff(client)
            )
        except ExamError as error:
            raise as_integration_error(error) from None
        await self._audit(client, "exam.result", f"exam_session:{session_id} {code}")
        return RecordedResult(result, code)

    async def issue_certificate(
        self, client: ClientIdentity, tracking_code: str, number: str,
        issued_on: dt.date | None,
    ) -> tuple[CertificateView, str]:
        """The certificate and the tracking code; the application moves to completed and the
        person is told, as from the staff's /certificate."""
        code = _tracking(tracking_code)
        if issued_on is not None and issued_on > today_in(self._exams.timezone):
            raise IntegrationInvalid("issued-in-future", "issued_on lies ahead", errors=[
                {"loc": ["body", "issued_on"], "msg": "a certificate is issued today or before",
                 "type": "issued_on"}
            ])
        if issued_on is not None and issued_on.year < PLAN_START_YEAR:
            raise IntegrationInvalid("issued-out-of-range", "issued_on is before the plan",
                                     errors=[{"loc": ["body", "issued_on"],
                                              "msg": "before the years the plan covers",
                                              "type": "issued_on"}])
        try:
            view = await self._exams.issue_certificate(
                code, number, acting_staff(client), issued_on
            )
        except ExamError as error:
            if error.code == "unknown_tracking":  # none, or another province's
                raise IntegrationNotFound(f"application {code}") from None
            raise as_integration_error(error) from None
        await self._audit(client, "certificate.issue", f"{code} certificate:{view.id}")
        return view, code

    async def certificates_of(
        self, client: ClientIdentity, tracking_code: str
    ) -> list[tuple[CertificateView, str | None]]:
        """The certificates of the person whose application this is (those of the client's
        provinces), newest first, each with its application's tracking code."""
        code = normalize_tracking_code(tracking_code)
        if code is None:
            raise IntegrationNotFound("not a tracking code")
        async with self._sessions() as session:
            exams = ExamRepository(session)
            app = await exams.application_by_tracking(code)
            if (
                app is None or app.status == "draft"
                or not client.can_see_province(app.province)
            ):
                raise IntegrationNotFound(f"application {code}")
            rows = await ApiReadRepository(session).certificates_with_province(app.person_id)
            found = [
                (certificate_view(certificate), tracking)
                for certificate, province, tracking in rows
                if client.can_see_province(province)
            ]
            await write_audit(session, client, "certificates.read", f"person of {code}")
            await session.commit()
        return found

    async def _audit(self, client: ClientIdentity, action: str, resource: str) -> None:
        async with self._sessions() as session:
            await write_audit(session, client, action, resource)
            await session.commit()
