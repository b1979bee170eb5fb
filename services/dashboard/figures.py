"""The overview's figures, each one query (or two for a percentile) over the whole table, so a
page over 100,000 applications stays well under a third of a second (bench/dashboard.py).

Definitions the page and its tests share:
- a registration is a person's `registered_at`, counted on its day in TIMEZONE, over the last 30
  days; per messenger, the accounts of the people registered in those days (a person on both
  messengers counts once on each);
- applications are every application but drafts, by status, program and province;
- time to decision: submission to approval or rejection (`decided_at`, kept when an approved
  application moves on to enrolled), for decisions of the last 90 days, nearest-rank median and
  90th percentile;
- documents awaiting review: current papers in state "received";
- open tickets: not closed; first response: opening to the first caseworker answer (median), for
  tickets opened in the last 90 days;
- broadcast deliveries: the last broadcasts' frozen or running counts (national, as they are
  sent to audiences across provinces);
- exams: attendance and pass rates of the sessions held in the last 90 days, and certificates
  issued in them (services/dashboard/exams.py says exactly what each number counts)."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.applications.results import DocumentState
from services.applications.status import IN_QUEUE, Status
from services.broadcasts import BroadcastProgress, BroadcastService
from services.dashboard.cache import FreshFor, RecentScopes
from services.dashboard.exams import ExamFigures, exam_figures
from services.dashboard.scope import Scope, with_national, within
from services.dashboard.sql import (
    is_postgres,
    local_date,
    percentiles,
    seconds_between,
    without_jit,
)
from services.jalali import today_in
from storage.models import (
    Application,
    ApplicationDocument,
    MessengerAccount,
    Person,
    Ticket,
)

DAYS_SHOWN = 30
# Times to decision and to first answer: over this many recent days (what is slow now, not five
# years ago; and an indexed range instead of the whole table).
RECENT_DAYS = 90
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
    exams: ExamFigures = field(default_factory=ExamFigures)

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
        fresh_seconds: float = 0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sessions = session_factory
        self._broadcasts = broadcasts
        self.timezone = timezone
        self._kept = FreshFor(fresh_seconds, clock)
        self._viewed = RecentScopes(clock)

    @property
    def oldest_served(self) -> float:
        """How old (seconds) the figures shown may be (0: read for each page)."""
        return self._kept.oldest_served

    async def overview(
        self, scope: Scope, *, days: int = DAYS_SHOWN, today: dt.date | None = None
    ) -> Overview:
        if today is None and days == DAYS_SHOWN:  # a page's view (not a report's question)
            self._viewed.saw(scope.provinces)
        today = today or today_in(self.timezone)
        return await self._kept.get(
            ("overview", scope.provinces, days, today),
            lambda: self._overview(scope, days, today),
        )

    async def keep_warm(self, *, remember: float, ahead: float) -> int:
        """Recompute, one after another, the overview of every province set viewed in the
        last `remember` seconds, and always the national one, when it would expire within
        `ahead` seconds: no viewer pays for an uncached page. How many were recomputed."""
        today = today_in(self.timezone)
        renewed = 0
        for provinces in with_national(self._viewed.within(remember)):
            scope = Scope(provinces)
            renewed += await self._kept.renew(
                ("overview", provinces, DAYS_SHOWN, today),
                lambda scope=scope: self._overview(scope, DAYS_SHOWN, today),  # type: ignore[misc]
                ahead=ahead,
            )
        return renewed

    async def _overview(self, scope: Scope, days: int, today: dt.date) -> Overview:
        async with self._sessions() as session:
            await without_jit(session)
            by_day = await self._registrations_by_day(session, scope, days, today)
            by_messenger = await self._registrations_by_messenger(
                session, scope, _window_start(today, days)
            )
            by_status, by_program, by_province = await self._applications_by(session, scope)
            recent = _window_start(today, RECENT_DAYS)
            decisions, (median, p90) = await self._decision_hours(session, scope, recent)
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
                    Ticket.opened_at >= recent, Ticket.first_response_at.is_not(None),
                    *within(Ticket.province, scope.provinces),
                ),
                [0.5],
            )
            exams = await exam_figures(
                session, scope.provinces, since=recent, until=_held_until(today, self.timezone),
                first_day=today - dt.timedelta(days=RECENT_DAYS - 1), last_day=today,
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
            exams=exams,
        )

    async def _registrations_by_day(
        self, session: AsyncSession, scope: Scope, days: int, today: dt.date
    ) -> list[tuple[dt.date, int]]:
        first = today - dt.timedelta(days=days - 1)
        # A day early in UTC, then the local day decides: the index on registered_at is used.
        since = _window_start(today, days)
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
        self, session: AsyncSession, scope: Scope, since: dt.datetime
    ) -> dict[str, int]:
        # Driven by the registered_at index: the window's people, then their accounts.
        people = (
            select(Person.id, local_date(session, Person.registered_at, self.timezone).label("day"))
            .where(Person.registered_at >= since, *within(Person.province, scope.provinces))
            .subquery()
        )
        first = since.date() + dt.timedelta(days=1)
        rows = await session.execute(
            select(MessengerAccount.platform, func.count(func.distinct(people.c.id)))
            .join(people, people.c.id == MessengerAccount.person_id)
            .where(people.c.day >= _day_literal(session, first))
            .group_by(MessengerAccount.platform)
            .order_by(MessengerAccount.platform)
        )
        return {platform: int(count) for platform, count in rows}

    async def _applications_by(
        self, session: AsyncSession, scope: Scope
    ) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
        """Per status, program and province, from one read grouped by all three (a few hundred
        groups at most) over the covering (status, program, province) index, instead of three
        reads of the table."""
        rows = await session.execute(
            select(Application.status, Application.program, Application.province,
                   func.count(Application.id))
            .where(
                Application.status != Status.DRAFT.value,
                *within(Application.province, scope.provinces),
            )
            .group_by(Application.status, Application.program, Application.province)
        )
        by: tuple[dict[str, int], dict[str, int], dict[str, int]] = ({}, {}, {})
        for status, program, province, count in rows:
            for counts, key in zip(by, (status, program, province), strict=True):
                counts[key or ""] = counts.get(key or "", 0) + int(count)
        return tuple(  # type: ignore[return-value]
            dict(sorted(counts.items(), key=lambda item: (-item[1], item[0]))) for counts in by
        )

    async def _decision_hours(
        self, session: AsyncSession, scope: Scope, since: dt.datetime
    ) -> tuple[int, list[float | None]]:
        return await percentiles(
            session,
            seconds_between(session, Application.submitted_at, Application.decided_at),
            select(Application.id).where(
                Application.decided_at >= since,
                Application.submitted_at.is_not(None),
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


def _window_start(today: dt.date, days: int) -> dt.datetime:
    """A day before the window's first local day, in UTC: safe for any zone's offset."""
    return dt.datetime.combine(today - dt.timedelta(days=days), dt.time(), tzinfo=dt.UTC)


def _held_until(today: dt.date, timezone: str) -> dt.datetime:
    """A session counts as held once it has started: now, or the end of the page's day when
    the page is asked about an earlier day."""
    end_of_day = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(),
                                     tzinfo=ZoneInfo(timezone)).astimezone(dt.UTC)
    return min(dt.datetime.now(dt.UTC), end_of_day)


def _day_literal(session: AsyncSession, day: dt.date) -> Any:
    """A day to compare with local_date(): a date on PostgreSQL, ISO text on SQLite."""
    return literal(day) if is_postgres(session) else literal(day.isoformat())


def _as_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))
