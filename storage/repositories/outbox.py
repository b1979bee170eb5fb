"""Outbox rows and the sender leases: queries only; the service commits."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import exists, func, or_, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import dialect_insert
from storage.models import Broadcast, OutboxLease, OutboxMessage

_PENDING = (OutboxMessage.sent_at.is_(None), OutboxMessage.given_up_at.is_(None))
# A paused broadcast's rows wait where they are: not handed to the sender, not counted as due.
_SENDABLE = or_(
    OutboxMessage.broadcast_id.is_(None),
    exists().where(Broadcast.id == OutboxMessage.broadcast_id, Broadcast.state == "sending"),
)


class OutboxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, row: OutboxMessage) -> None:
        self.session.add(row)

    async def pending(self, platform: str, limit: int) -> list[OutboxMessage]:
        """The oldest rows not yet sent nor given up, due or not: the sender needs the rows
        still waiting to keep each chat's order."""
        result = await self.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.platform == platform, *_PENDING, _SENDABLE)
            .order_by(OutboxMessage.id)
            .limit(limit)
        )
        return list(result)

    async def sendable(self, row_id: int) -> bool:
        """Still pending, and not held by a paused or cancelled broadcast."""
        found = await self.session.scalar(
            select(OutboxMessage.id).where(OutboxMessage.id == row_id, *_PENDING, _SENDABLE)
        )
        return found is not None

    async def due_count(self, now: dt.datetime, platform: str | None = None) -> int:
        query = select(func.count()).select_from(OutboxMessage).where(
            *_PENDING, _SENDABLE, OutboxMessage.not_before <= now
        )
        if platform is not None:
            query = query.where(OutboxMessage.platform == platform)
        return int(await self.session.scalar(query) or 0)

    async def update_pending(self, row_id: int, **values: Any) -> None:
        await self.session.execute(
            update(OutboxMessage).where(OutboxMessage.id == row_id, *_PENDING).values(**values)
        )

    async def take_lease(
        self, token_hash: str, holder: str, now: dt.datetime, expires_at: dt.datetime
    ) -> bool:
        """Take or renew: succeeds for the holder itself or once the other holder's lease ran
        out. The condition sits in the UPDATE, so two takers cannot both win."""
        result: CursorResult[Any] = await self.session.execute(  # type: ignore[assignment]
            update(OutboxLease)
            .where(
                OutboxLease.token_hash == token_hash,
                or_(OutboxLease.holder == holder, OutboxLease.expires_at < now),
            )
            .values(holder=holder, expires_at=expires_at)
        )
        if result.rowcount == 1:
            return True
        inserted: CursorResult[Any] = await self.session.execute(  # type: ignore[assignment]
            dialect_insert(self.session, OutboxLease)
            .values(token_hash=token_hash, holder=holder, expires_at=expires_at)
            .on_conflict_do_nothing(index_elements=["token_hash"])
        )
        return inserted.rowcount == 1

    async def release_lease(self, token_hash: str, holder: str, now: dt.datetime) -> None:
        await self.session.execute(
            update(OutboxLease)
            .where(OutboxLease.token_hash == token_hash, OutboxLease.holder == holder)
            .values(expires_at=now)
        )
