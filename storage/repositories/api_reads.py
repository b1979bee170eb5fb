"""The HTTP API's reads: pages of applications and tickets by keyset (id order), filtered by the
client's provinces in SQL so a province-limited client's page never holds another province."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Application,
    Certificate,
    Course,
    ExamSession,
    JobLead,
    JobLeadField,
    Person,
    Ticket,
    TicketMessage,
)


@dataclass(frozen=True, slots=True)
class ApplicationFilter:
    status: str | None = None  # None: every status but a draft (drafts are the person's own)
    program: str | None = None
    province: str | None = None
    course_code: str | None = None
    updated_since: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class TicketFilter:
    status: str | None = None
    province: str | None = None
    updated_since: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class ExamSessionFilter:
    course_code: str | None = None
    province: str | None = None
    starts_from: dt.datetime | None = None
    starts_before: dt.datetime | None = None
    state: str | None = None


@dataclass(frozen=True, slots=True)
class JobLeadFilter:
    open_on: dt.date | None = None  # open leads (not withdrawn, deadline this day or later)
    closed_on: dt.date | None = None  # withdrawn, or deadline before this day
    province: str | None = None
    field: str | None = None


class ApiReadRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def applications_page(
        self,
        where: ApplicationFilter,
        provinces: Collection[str] | None,
        after_id: int,
        limit: int,
    ) -> list[tuple[Application, Person]]:
        """Up to `limit` applications with id > after_id, in id order (new ones come last, so
        a client paging through never sees one twice nor misses one)."""
        stmt = (
            select(Application, Person)
            .join(Person, Person.id == Application.person_id)
            .where(Application.id > after_id)
        )
        # `!= draft` rather than IN (every other status): the planner then walks the primary
        # key in order instead of the status index, and a page costs its rows, not the table.
        stmt = stmt.where(
            Application.status == where.status if where.status is not None
            else Application.status != "draft"
        )
        if provinces is not None:
            stmt = stmt.where(Application.province.in_(provinces))
        if where.program is not None:
            stmt = stmt.where(Application.program == where.program)
        if where.province is not None:
            stmt = stmt.where(Application.province == where.province)
        if where.course_code is not None:
            stmt = stmt.where(Application.course_code == where.course_code)
        if where.updated_since is not None:
            stmt = stmt.where(Application.updated_at >= where.updated_since)
        stmt = stmt.order_by(Application.id).limit(limit)
        return [(row[0], row[1]) for row in await self.session.execute(stmt)]

    async def tickets_page(
        self,
        where: TicketFilter,
        provinces: Collection[str] | None,
        after_id: int,
        limit: int,
    ) -> list[tuple[Ticket, str | None]]:
        """Tickets with id > after_id in id order, with their person's name."""
        stmt = (
            select(Ticket, Person.full_name)
            .join(Person, Person.id == Ticket.person_id)
            .where(Ticket.id > after_id)
        )
        if provinces is not None:
            stmt = stmt.where(Ticket.province.in_(provinces))
        if where.status is not None:
            stmt = stmt.where(Ticket.status == where.status)
        if where.province is not None:
            stmt = stmt.where(Ticket.province == where.province)
        if where.updated_since is not None:
            stmt = stmt.where(
                (Ticket.opened_at >= where.updated_since)
                | (Ticket.last_person_at >= where.updated_since)
                | (Ticket.last_staff_at >= where.updated_since)
                | (Ticket.closed_at >= where.updated_since)
            )
        stmt = stmt.order_by(Ticket.id).limit(limit)
        return [(row[0], row[1]) for row in await self.session.execute(stmt)]

    async def ticket(self, ticket_id: int) -> tuple[Ticket, Person] | None:
        row = (
            await self.session.execute(
                select(Ticket, Person)
                .join(Person, Person.id == Ticket.person_id)
                .where(Ticket.id == ticket_id)
            )
        ).first()
        return (row[0], row[1]) if row is not None else None

    async def ticket_messages(self, ticket_id: int) -> list[TicketMessage]:
        return list(
            await self.session.scalars(
                select(TicketMessage)
                .where(TicketMessage.ticket_id == ticket_id)
                .order_by(TicketMessage.created_at, TicketMessage.id)
            )
        )

    async def applications_of(self, person_id: int) -> list[Application]:
        """The person's applications that were sent (drafts are theirs alone), oldest first."""
        return list(
            await self.session.scalars(
                select(Application)
                .where(Application.person_id == person_id, Application.status != "draft")
                .order_by(Application.id)
            )
        )

    async def exam_sessions_page(
        self,
        where: ExamSessionFilter,
        provinces: Collection[str] | None,
        after_id: int,
        limit: int,
    ) -> list[tuple[ExamSession, str | None]]:
        """Exam sessions with id > after_id in id order, with their course's Persian title."""
        stmt = (
            select(ExamSession, Course.title_fa)
            .outerjoin(Course, Course.course_code == ExamSession.course_code)
            .where(ExamSession.id > after_id)
        )
        if provinces is not None:
            stmt = stmt.where(ExamSession.province.in_(provinces))
        if where.course_code is not None:
            stmt = stmt.where(ExamSession.course_code == where.course_code)
        if where.province is not None:
            stmt = stmt.where(ExamSession.province == where.province)
        if where.starts_from is not None:
            stmt = stmt.where(ExamSession.starts_at >= where.starts_from)
        if where.starts_before is not None:
            stmt = stmt.where(ExamSession.starts_at < where.starts_before)
        if where.state is not None:
            stmt = stmt.where(ExamSession.state == where.state)
        stmt = stmt.order_by(ExamSession.id).limit(limit)
        return [(row[0], row[1]) for row in await self.session.execute(stmt)]

    async def course_title(self, course_code: str) -> str | None:
        return await self.session.scalar(
            select(Course.title_fa).where(Course.course_code == course_code)
        )

    async def certificates_with_province(
        self, person_id: int
    ) -> list[tuple[Certificate, str | None, str | None]]:
        """A person's certificates, newest first, with their application's province and
        tracking code."""
        rows = await self.session.execute(
            select(Certificate, Application.province, Application.tracking_code)
            .join(Application, Application.id == Certificate.application_id)
            .where(Certificate.person_id == person_id)
            .order_by(Certificate.issued_on.desc(), Certificate.id.desc())
        )
        return [(row[0], row[1], row[2]) for row in rows]

    async def job_lead_ids_page(
        self,
        where: JobLeadFilter,
        provinces: Collection[str] | None,
        after_id: int,
        limit: int,
    ) -> list[int]:
        """Ids of job leads with id > after_id in id order."""
        stmt = select(JobLead.id).where(JobLead.id > after_id)
        if provinces is not None:
            stmt = stmt.where(JobLead.province.in_(provinces))
        if where.province is not None:
            stmt = stmt.where(JobLead.province == where.province)
        if where.open_on is not None:
            stmt = stmt.where(JobLead.closed_at.is_(None), JobLead.deadline >= where.open_on)
        if where.closed_on is not None:
            stmt = stmt.where(
                JobLead.closed_at.is_not(None) | (JobLead.deadline < where.closed_on)
            )
        if where.field is not None:
            stmt = stmt.where(
                select(JobLeadField.lead_id).where(
                    JobLeadField.lead_id == JobLead.id, JobLeadField.field == where.field
                ).exists()
            )
        stmt = stmt.order_by(JobLead.id).limit(limit)
        return list(await self.session.scalars(stmt))
