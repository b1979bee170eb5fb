"""Broadcasts, their audience and their outbox rows: queries only; the service commits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    Select,
    and_,
    delete,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Application, Broadcast, Course, MessengerAccount, OutboxMessage, Person
from storage.repositories.persons import takes_news


@dataclass(frozen=True, slots=True)
class AudienceFilter:
    """Who a broadcast reaches. An empty collection or None means "any"."""

    platforms: Collection[str] = ()
    provinces: Collection[str] = ()
    programs: Collection[str] = ()
    statuses: Collection[str] = ()
    course_fields: Collection[str] = ()
    registered_since: dt.datetime | None = None


def audience_rows(audience: AudienceFilter) -> Select[int, str]:
    """(person id, platform) of every reachable private chat in the audience: registered people
    who did not turn news off, on a messenger where their chat has not blocked the bot."""
    conditions: list[ColumnElement[bool]] = [
        Person.registered_at.is_not(None),
        takes_news(),
        MessengerAccount.chat_id.is_not(None),
        MessengerAccount.blocked_at.is_(None),
    ]
    if audience.platforms:
        conditions.append(MessengerAccount.platform.in_(list(audience.platforms)))
    if audience.provinces:
        conditions.append(Person.province.in_(list(audience.provinces)))
    if audience.registered_since is not None:
        conditions.append(Person.registered_at >= audience.registered_since)
    application = [Application.person_id == Person.id]
    if audience.programs:
        application.append(Application.program.in_(list(audience.programs)))
    if audience.statuses:
        application.append(Application.status.in_(list(audience.statuses)))
    if audience.course_fields:
        application.append(
            exists().where(
                Course.course_code == Application.course_code,
                Course.cluster_fa.in_(list(audience.course_fields)),
            )
        )
    if len(application) > 1:
        conditions.append(exists().where(and_(*application)))
    return (
        select(Person.id, MessengerAccount.platform)
        .join(MessengerAccount, MessengerAccount.person_id == Person.id)
        .where(*conditions)
        .distinct()
    )


class BroadcastRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def count_audience(self, audience: AudienceFilter) -> int:
        counted = select(func.count()).select_from(audience_rows(audience).subquery())
        return int(await self.session.scalar(counted) or 0)

    async def by_request_key(self, request_key: str) -> Broadcast | None:
        return await self.session.scalar(
            select(Broadcast).where(Broadcast.request_key == request_key)
        )

    async def get(self, broadcast_id: int, *, for_update: bool = False) -> Broadcast | None:
        query = select(Broadcast).where(Broadcast.id == broadcast_id)
        if for_update:
            query = query.with_for_update()
        return await self.session.scalar(query)

    async def add(self, broadcast: Broadcast) -> Broadcast:
        self.session.add(broadcast)
        await self.session.flush()
        return broadcast

    async def queue_rows(
        self, broadcast: Broadcast, audience: AudienceFilter, *, priority: int, now: dt.datetime
    ) -> int:
        """One outbox row per (person, messenger) of the audience, in one INSERT … SELECT: ten
        thousand recipients are one statement, not ten thousand."""
        recipients = audience_rows(audience).subquery()
        rows = select(
            literal(broadcast.id),
            recipients.c.platform,
            recipients.c.id,
            literal("broadcast"),
            literal({}, JSON),
            literal(priority),
            literal(now),
            literal(0),
            literal(now),
        ).order_by(recipients.c.id, recipients.c.platform)
        result = await self.session.execute(
            insert(OutboxMessage).from_select(
                ["broadcast_id", "platform", "person_id", "kind", "payload", "priority",
                 "not_before", "attempts", "created_at"],
                rows,
            )
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def outcome_counts(self, broadcast_id: int) -> dict[str | None, int]:
        """Rows per outcome; None is still pending."""
        result = await self.session.execute(
            select(OutboxMessage.outcome, func.count())
            .where(OutboxMessage.broadcast_id == broadcast_id)
            .group_by(OutboxMessage.outcome)
        )
        return {outcome: int(count) for outcome, count in result.all()}

    async def cancel_pending(self, broadcast_id: int, now: dt.datetime, outcome: str) -> int:
        result = await self.session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.broadcast_id == broadcast_id,
                OutboxMessage.sent_at.is_(None),
                OutboxMessage.given_up_at.is_(None),
            )
            .values(given_up_at=now, outcome=outcome, last_error="cancelled")
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def set_state(self, broadcast_id: int, state: str, **values: Any) -> None:
        await self.session.execute(
            update(Broadcast).where(Broadcast.id == broadcast_id).values(state=state, **values)
        )

    async def recent(self, limit: int) -> list[Broadcast]:
        result = await self.session.scalars(
            select(Broadcast).order_by(Broadcast.id.desc()).limit(limit)
        )
        return list(result)

    async def running(self) -> list[Broadcast]:
        result = await self.session.scalars(
            select(Broadcast).where(Broadcast.state.in_(["sending", "paused"]))
            .order_by(Broadcast.id)
        )
        return list(result)

    async def turned_news_off_since(self, moment: dt.datetime) -> set[int]:
        """People who turned news off at or after `moment` (their row changed since and says
        off): a few, where "everyone who turned it off" may be many."""
        result = await self.session.scalars(
            select(Person.id).where(~takes_news(), Person.updated_at >= moment)
        )
        return set(result)

    async def media_of(self, broadcast_id: int) -> bytes | None:
        return await self.session.scalar(
            select(Broadcast.media).where(Broadcast.id == broadcast_id)
        )

    async def purge_finished_rows(self, cutoff: dt.datetime, limit: int) -> int:
        """Delete up to `limit` finished outbox rows older than `cutoff`. A broadcast's rows go
        only once the broadcast has ended, i.e. once its counts are written on it."""
        ended = or_(
            OutboxMessage.broadcast_id.is_(None),
            exists().where(
                Broadcast.id == OutboxMessage.broadcast_id,
                Broadcast.state.in_(["done", "cancelled"]),
            ),
        )
        finished = or_(
            and_(OutboxMessage.sent_at.is_not(None), OutboxMessage.sent_at < cutoff),
            and_(OutboxMessage.given_up_at.is_not(None), OutboxMessage.given_up_at < cutoff),
        )
        victims = select(OutboxMessage.id).where(finished, ended).limit(limit).scalar_subquery()
        result = await self.session.execute(
            delete(OutboxMessage).where(OutboxMessage.id.in_(victims))
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]
