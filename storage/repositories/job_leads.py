"""Job leads, their fields, the people they match and the people interested: queries only; the
service commits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select, true
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import dialect_insert
from storage.models import Application, Course, JobInterest, JobLead, JobLeadField, Person


def _place(province_column: Any, province: str, neighbours: Sequence[str],
           can_move: ColumnElement[bool] | bool) -> ColumnElement[bool]:
    """In `province`, or in a neighbouring one for people who can move."""
    if not neighbours:
        return province_column == province
    return or_(province_column == province,
               and_(can_move, province_column.in_(list(neighbours))))  # type: ignore[arg-type]


def matching_people(
    province: str, fields: Collection[str], neighbours: Sequence[str],
    skilled_statuses: Collection[str],
) -> Select[int, bool]:
    """(person_id, wants_digest) of the registered people a lead is for: enrolled in or done
    with a course of one of its fields, living in its province (or a neighbouring one if they
    can move), job leads not turned off. One SELECT, for one INSERT … SELECT into the ledger."""
    skilled = exists().where(
        Application.person_id == Person.id,
        Application.status.in_(list(skilled_statuses)),
        Course.course_code == Application.course_code,
        Course.cluster_fa.in_(list(fields)),
    )
    return select(Person.id, Person.job_leads_digest).where(
        Person.registered_at.is_not(None),
        Person.job_leads_opt_out.is_(False),
        _place(Person.province, province, neighbours, Person.can_move.is_(True)),
        skilled,
    )


class JobLeadRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, lead: JobLead, fields: Sequence[str]) -> JobLead:
        self.session.add(lead)
        await self.session.flush()
        self.session.add_all(JobLeadField(lead_id=lead.id, field=name) for name in fields)
        await self.session.flush()
        return lead

    async def get(self, lead_id: int) -> JobLead | None:
        return await self.session.get(JobLead, lead_id)

    async def fields_of(self, lead_ids: Collection[int]) -> dict[int, list[str]]:
        found: dict[int, list[str]] = {}
        if not lead_ids:
            return found
        rows = await self.session.execute(
            select(JobLeadField.lead_id, JobLeadField.field)
            .where(JobLeadField.lead_id.in_(list(lead_ids)))
            .order_by(JobLeadField.lead_id, JobLeadField.field)
        )
        for lead_id, name in rows:
            found.setdefault(lead_id, []).append(name)
        return found

    async def get_many(self, lead_ids: Collection[int]) -> list[JobLead]:
        if not lead_ids:
            return []
        return list(await self.session.scalars(
            select(JobLead).where(JobLead.id.in_(list(lead_ids))).order_by(JobLead.id)
        ))

    async def open_ids(self, lead_ids: Collection[int], today: dt.date) -> set[int]:
        """Of these leads, those still open (not withdrawn, deadline today or later)."""
        if not lead_ids:
            return set()
        return set(await self.session.scalars(
            select(JobLead.id).where(
                JobLead.id.in_(list(lead_ids)), JobLead.closed_at.is_(None),
                JobLead.deadline >= today,
            )
        ))

    async def opted_out(self, person_ids: Collection[int]) -> set[int]:
        found: set[int] = set()
        ids = list(person_ids)
        for start in range(0, len(ids), 5000):
            found.update(await self.session.scalars(
                select(Person.id).where(
                    Person.id.in_(ids[start:start + 5000]), Person.job_leads_opt_out.is_(True)
                )
            ))
        return found

    async def person_fields(self, person_id: int, statuses: Collection[str]) -> list[str]:
        """The fields of the courses a person is enrolled in or completed."""
        return list(await self.session.scalars(
            select(Course.cluster_fa).distinct()
            .join(Application, Application.course_code == Course.course_code)
            .where(Application.person_id == person_id, Application.status.in_(list(statuses)))
            .order_by(Course.cluster_fa)
        ))

    def _open_for(
        self, provinces: Sequence[str], fields: Collection[str], today: dt.date
    ) -> list[ColumnElement[bool]]:
        return [
            JobLead.closed_at.is_(None),
            JobLead.deadline >= today,
            *self._matching(provinces, fields),
        ]

    def _matching(
        self, provinces: Sequence[str], fields: Collection[str]
    ) -> list[ColumnElement[bool]]:
        return [
            JobLead.province.in_(list(provinces)),
            exists().where(
                JobLeadField.lead_id == JobLead.id, JobLeadField.field.in_(list(fields))
            ),
        ]

    async def open_for_page(
        self, provinces: Sequence[str], fields: Collection[str], today: dt.date,
        offset: int, limit: int,
    ) -> tuple[list[JobLead], int]:
        """Open leads in these provinces for these fields, newest first, and how many in all."""
        if not provinces or not fields:
            return [], 0
        conditions = self._open_for(provinces, fields, today)
        total = int(await self.session.scalar(
            select(func.count()).select_from(JobLead).where(*conditions)
        ) or 0)
        leads = list(await self.session.scalars(
            select(JobLead).where(*conditions)
            .order_by(JobLead.created_at.desc(), JobLead.id.desc())
            .offset(offset).limit(limit)
        ))
        return leads, total

    async def is_open_for(
        self, lead_id: int, provinces: Sequence[str], fields: Collection[str], today: dt.date,
        *, open_only: bool = True,
    ) -> bool:
        """The lead is one the person's list shows (`open_only` False: would show, were it
        still open)."""
        if not provinces or not fields:
            return False
        conditions = (self._open_for(provinces, fields, today) if open_only
                      else self._matching(provinces, fields))
        found = await self.session.scalar(
            select(JobLead.id).where(JobLead.id == lead_id, *conditions)
        )
        return found is not None

    async def add_interest(self, lead_id: int, person_id: int, now: dt.datetime) -> int | None:
        """The interest's id, or None when this person had said so already."""
        result: CursorResult[Any] = await self.session.execute(  # type: ignore[assignment]
            dialect_insert(self.session, JobInterest)
            .values(lead_id=lead_id, person_id=person_id, created_at=now)
            .on_conflict_do_nothing(index_elements=["lead_id", "person_id"])
            .returning(JobInterest.id)
        )
        return result.scalar_one_or_none()

    async def set_interest_ticket(self, interest_id: int, ticket_id: int) -> None:
        interest = await self.session.get(JobInterest, interest_id)
        if interest is not None:
            interest.ticket_id = ticket_id

    async def interested(self, lead_id: int) -> list[tuple[JobInterest, Person]]:
        rows = await self.session.execute(
            select(JobInterest, Person)
            .join(Person, Person.id == JobInterest.person_id)
            .where(JobInterest.lead_id == lead_id)
            .order_by(JobInterest.created_at, JobInterest.id)
        )
        return [(interest, person) for interest, person in rows]

    async def recent(self, provinces: Collection[str] | None, limit: int) -> list[JobLead]:
        query = select(JobLead).where(true())
        if provinces is not None:
            query = query.where(JobLead.province.in_(list(provinces)))
        return list(await self.session.scalars(
            query.order_by(JobLead.created_at.desc(), JobLead.id.desc()).limit(limit)
        ))

    async def interest_counts(self, lead_ids: Collection[int]) -> dict[int, int]:
        if not lead_ids:
            return {}
        rows = await self.session.execute(
            select(JobInterest.lead_id, func.count())
            .where(JobInterest.lead_id.in_(list(lead_ids)))
            .group_by(JobInterest.lead_id)
        )
        return {lead_id: int(count) for lead_id, count in rows}
