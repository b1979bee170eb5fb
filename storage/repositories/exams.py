"""Exam sessions, answers, attendance, results and certificates (query/add/flush only)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Application,
    Certificate,
    ExamAnswer,
    ExamResult,
    ExamSession,
    Person,
)

ENROLLED = "enrolled"  # services.applications.Status.ENROLLED (storage does not import services)


class ExamRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, session_id: int) -> ExamSession | None:
        return await self.session.scalar(
            select(ExamSession).where(ExamSession.id == session_id)
            .execution_options(populate_existing=True)
        )

    def add(self, exam: ExamSession) -> None:
        self.session.add(exam)

    async def flush(self) -> None:
        await self.session.flush()

    async def upcoming(
        self, since: dt.datetime, provinces: Collection[str] | None, limit: int
    ) -> list[ExamSession]:
        stmt = select(ExamSession).where(ExamSession.starts_at >= since)
        if provinces is not None:
            stmt = stmt.where(ExamSession.province.in_(provinces))
        stmt = stmt.order_by(ExamSession.starts_at, ExamSession.id).limit(limit)
        return list(await self.session.scalars(stmt))

    async def scheduled_of_course(
        self, course_code: str, since: dt.datetime
    ) -> list[ExamSession]:
        return list(await self.session.scalars(
            select(ExamSession).where(
                ExamSession.course_code == course_code, ExamSession.state == "scheduled",
                ExamSession.starts_at > since,
            ).order_by(ExamSession.starts_at)
        ))

    async def enrolled(self, course_code: str) -> list[Application]:
        """The course's applications in status enrolled, one per person (the newest)."""
        rows = await self.session.scalars(
            select(Application)
            .where(Application.course_code == course_code, Application.status == ENROLLED)
            .order_by(Application.person_id, Application.id.desc())
        )
        seen: dict[int, Application] = {}
        for app in rows:
            seen.setdefault(app.person_id, app)
        return list(seen.values())

    async def enrolled_application(self, course_code: str, person_id: int) -> Application | None:
        return await self.session.scalar(
            select(Application).where(
                Application.course_code == course_code, Application.person_id == person_id,
                Application.status == ENROLLED,
            ).order_by(Application.id.desc()).limit(1)
        )

    async def application_by_tracking(self, code: str) -> Application | None:
        return await self.session.scalar(
            select(Application).where(Application.tracking_code == code)
            .execution_options(populate_existing=True)
        )

    async def answer(self, session_id: int, person_id: int) -> ExamAnswer | None:
        return await self.session.get(
            ExamAnswer, (session_id, person_id), populate_existing=True
        )

    async def answer_or_new(self, session_id: int, person_id: int) -> ExamAnswer:
        row = await self.answer(session_id, person_id)
        if row is None:
            row = ExamAnswer(session_id=session_id, person_id=person_id)
            self.session.add(row)
        return row

    async def answers(self, session_id: int) -> dict[int, ExamAnswer]:
        rows = await self.session.scalars(
            select(ExamAnswer).where(ExamAnswer.session_id == session_id)
        )
        return {row.person_id: row for row in rows}

    async def names(self, person_ids: Collection[int]) -> dict[int, str]:
        if not person_ids:
            return {}
        rows = await self.session.execute(
            select(Person.id, Person.full_name).where(Person.id.in_(person_ids))
        )
        return {person_id: name or "" for person_id, name in rows}

    async def result(self, session_id: int, person_id: int) -> ExamResult | None:
        return await self.session.scalar(
            select(ExamResult).where(
                ExamResult.session_id == session_id, ExamResult.person_id == person_id
            )
        )

    async def results_of_session(self, session_id: int) -> dict[int, ExamResult]:
        rows = await self.session.scalars(
            select(ExamResult).where(ExamResult.session_id == session_id)
        )
        return {row.person_id: row for row in rows}

    async def results_of_application(self, application_id: int) -> list[ExamResult]:
        return list(await self.session.scalars(
            select(ExamResult).where(ExamResult.application_id == application_id)
            .order_by(ExamResult.recorded_at, ExamResult.id)
        ))

    def add_result(self, result: ExamResult) -> None:
        self.session.add(result)

    async def certificate_by_number(self, number: str) -> Certificate | None:
        return await self.session.scalar(select(Certificate).where(Certificate.number == number))

    async def certificate_of_application(self, application_id: int) -> Certificate | None:
        return await self.session.scalar(
            select(Certificate).where(Certificate.application_id == application_id)
        )

    async def certificate(self, certificate_id: int) -> Certificate | None:
        return await self.session.get(Certificate, certificate_id)

    def add_certificate(self, certificate: Certificate) -> None:
        self.session.add(certificate)

    async def certificates_of(self, person_id: int) -> list[Certificate]:
        return list(await self.session.scalars(
            select(Certificate).where(Certificate.person_id == person_id)
            .order_by(Certificate.issued_on.desc(), Certificate.id.desc())
        ))

    async def sessions_of_person(
        self, person_id: int, since: dt.datetime
    ) -> list[tuple[ExamSession, ExamAnswer | None]]:
        """Scheduled sessions not started yet, of the courses the person is enrolled in."""
        codes = select(Application.course_code).where(
            Application.person_id == person_id, Application.status == ENROLLED
        )
        rows = await self.session.execute(
            select(ExamSession, ExamAnswer)
            .outerjoin(ExamAnswer, (ExamAnswer.session_id == ExamSession.id)
                       & (ExamAnswer.person_id == person_id))
            .where(ExamSession.course_code.in_(codes), ExamSession.state == "scheduled",
                   ExamSession.starts_at >= since)
            .order_by(ExamSession.starts_at)
        )
        return [(exam, answer) for exam, answer in rows]
