"""The overview's figures, each one query (or two for a percentile) over the whole table, so a
page over 100,000 applications stays well under a third of a second (bench/dashboard.py).

Definitions the page and its tests share:
- a registration is a person's `registered_at`, counted on its day in TIMEZONE; per messenger,
  each registered person's accounts (a person on both messengers counts once on each);
- applications are every application but drafts, by status, program and province;
- time to decision: submission to approval or rejection (`decided_at`, kept when an approved
  application moves on to enrolled), nearest-rank median and 90th percentile;
- documents awaiting review: current papers in state "received";
- open tickets: not closed; first response: opening to the first caseworker answer (median);
- broadcast deliveries: the last broadcasts' frozen or running counts (national, as they are
  sent to audiences across provinces)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.applications.results import DocumentState
from services.applications.status import IN_QUEUE, Status
from services.broadcasts import BroadcastProgress, BroadcastService
from services.dashboard.scope import Scope, within
from services.dashboard.sql import local_date, percentiles, seconds_between
from services.jalali import today_in
from storage.models import (
    Application,
    ApplicationDocument,
    MessengerAccount,
    Person,
    Ticket,
)

DAYS_SHOWN = 30
BROADCASTS_SHOWN = 10


@dataclass(frozen=True, slots=True)
class Overview:
    registrations_by_day: list[tuple[dt.date, int]]
    registrations_by_messenger: dict[str, int]
    applications_by_status: dict[str, int]
    applications_by_program: dict[str, int]
    applications_by_province: dict[str, int]
    decisions: int
    decision_median_hours: float | None
    decision_p90_hours: float | None
    documents_awaiting_review: int
    open_tickets: int
    answered_tickets: int
    first_response_median_minutes: float | None
    # None when the page's scope is a province: broadcasts are national.
    broadcasts: list[BroadcastProgress] | None = field(default=None)

    @property
    def registrations(self) -> int:
        return sum(count for _, count in self.registrations_by_day)

    @property
    def applications(self) -> int:
        return sum(self.applications_by_status.values())

    @property
    def in_queue(self) -> int:
        return sum(self.applications_by_status.get(s.value, 0) for s in IN_QUEUE)



class DashboardFigures:
    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        broadcasts: BroadcastService,
        *,
        timezone: str,
    ) -> None:
        self._sessions = session_factory
        self._broadcasts = broadcasts
        self.timezone = timezone

    async def overview(
        self, scope: Scope, *, days: int = DAYS_SHOWN, today: dt.date | None = None
    ) -> Overview:
        today = today or today_in(self.timezone)
        async with self._sessions() as session:
            by_day = await self._registrations_by_day(session, scope, days, today)
            by_messenger = await self._registrations_by_messenger(session, scope)
            by_status = await self._applications_by(session, scope, Application.status)
            by_program = await self._applications_by(session, scope, Application.program)
            by_province = await self._applications_by(session, scope, Application.province)
            decisions, (median, p90) = await self._decision_hours(session, scope)
            awaiting = await self._documents_awaiting(session, scope)
            open_tickets = await session.scalar(
                select(func.count(Ticket.id)).where(
                    Ticket.closed_at.is_(None), *within(Ticket.province, scope.provinces)
                )
            )
            answered, (first_response,) = await percentiles(
                session,
                seconds_between(session, Ticket.opened_at, Ticket.first_response_at) / 60.0,
                select(Ticket.id).where(
                    Ticket.first_response_at.is_not(None), *within(Ticket.province, scope.provinces)
                ),
                [0.5],
            )
        broadcasts = (
            await self._broadcasts.recent(BROADCASTS_SHOWN) if scope.national else None
        )
        return Overview(
            registrations_by_day=by_day,
            registrations_by_messenger=by_messenger,
            applications_by_status=by_status,
            applications_by_program=by_program,
            applications_by_province=by_province,
            decisions=decisions,
            decision_median_hours=median / 3600 if median is not None else None,
            decision_p90_hours=p90 / 3600 if p90 is not None else None,
            documents_awaiting_review=int(awaiting or 0),
            open_tickets=int(open_tickets or 0),
            answered_tickets=answered,
            first_response_median_minutes=first_response,
            broadcasts=broadcasts,
        )

    async def _registrations_by_day(
        self, session: AsyncSession, scope: Scope, days: int, today: dt.date
    ) -> list[tuple[dt.date, int]]:
        first = today - dt.timedelta(days=days - 1)
        # A day early in UTC, then the local day decides: the index on registered_at is used.
        since = dt.datetime.combine(first - dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
        day = local_date(session, Person.registered_at, self.timezone).label("day")
        rows = await session.execute(
            select(day, func.count(Person.id))
            .where(Person.registered_at >= since, *within(Person.province, scope.provinces))
            .group_by(day)
        )
        counts = {_as_date(value): int(count) for value, count in rows}
        return [
            (first + dt.timedelta(days=n), counts.get(first + dt.timedelta(days=n), 0))
            for n in range(days)
        ]

    async def _registrations_by_messenger(
        self, session: AsyncSession, scope: Scope
    ) -> dict[str, int]:
        rows = await session.execute(
            select(MessengerAccount.platform, func.count(func.distinct(Person.id)))
            .join(Person, Person.id == MessengerAccount.person_id)
            .where(Person.registered_at.is_not(None), *within(Person.province, scope.provinces))
            .group_by(MessengerAccount.platform)
            .order_by(MessengerAccount.platform)
        )
        return {platform: int(count) for platform, count in rows}

    async def _applications_by(
        self, session: AsyncSession, scope: Scope, column: Any
    ) -> dict[str, int]:
        rows = await session.execute(
            select(column, func.count(Application.id))
            .where(
                Application.status != Status.DRAFT.value,
                *within(Application.province, scope.provinces),
            )
            .group_by(column)
        )
        counts = {(key or ""): int(count) for key, count in rows}
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))

    async def _decision_hours(
        self, session: AsyncSession, scope: Scope
    ) -> tuple[int, list[float | None]]:
        return await percentiles(
            session,
            seconds_between(session, Application.submitted_at, Application.decided_at),
            select(Application.id).where(
                Application.submitted_at.is_not(None),
                Application.decided_at.is_not(None),
                *within(Application.province, scope.provinces),
            ),
            [0.5, 0.9],
        )

    async def _documents_awaiting(self, session: AsyncSession, scope: Scope) -> int | None:
        stmt = select(func.count(ApplicationDocument.id)).where(
            ApplicationDocument.state == DocumentState.RECEIVED.value
        )
        if scope.provinces is not None:
            stmt = stmt.join(
                Application, Application.id == ApplicationDocument.application_id
            ).where(*within(Application.province, scope.provinces))
        return await session.scalar(stmt)


def _as_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))
