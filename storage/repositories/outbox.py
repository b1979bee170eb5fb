"""Outbox rows and the sender leases: queries only; the service commits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from sqlalchemy import ColumnElement, exists, func, insert, literal, or_, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import dialect_insert
from storage.models import Broadcast, MessengerAccount, OutboxLease, OutboxMessage

_PENDING = (OutboxMessage.sent_at.is_(None), OutboxMessage.given_up_at.is_(None))
# A broadcast's rows go out only while it is sending (not paused, cancelled or done).
_SENDABLE = or_(
    OutboxMessage.broadcast_id.is_(None),
    exists().where(Broadcast.id == OutboxMessage.broadcast_id, Broadcast.state == "sending"),
)


class OutboxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, row: OutboxMessage) -> None:
        self.session.add(row)

    async def add_many(self, rows: list[dict[str, Any]]) -> None:
        await self.session.execute(insert(OutboxMessage), rows)

    async def reachable_platforms(self, person_ids: Collection[int]) -> dict[int, list[str]]:
        """Per person, the messengers on which they have a private chat that has not blocked
        the bot (people with none are left out)."""
        found: dict[int, list[str]] = {}
        ids = sorted(set(person_ids))
        for start in range(0, len(ids), 500):  # IN lists stay well under every driver's cap
            rows = await self.session.execute(
                select(MessengerAccount.person_id, MessengerAccount.platform)
                .where(
                    MessengerAccount.person_id.in_(ids[start : start + 500]),
                    MessengerAccount.chat_id.is_not(None),
                    MessengerAccount.blocked_at.is_(None),
                )
                .group_by(MessengerAccount.person_id, MessengerAccount.platform)
                .order_by(MessengerAccount.person_id, MessengerAccount.platform)
            )
            for person_id, platform in rows:
                found.setdefault(person_id, []).append(platform)
        return found

    async def add_for_reachable_accounts(self, person_id: int, row: dict[str, Any]) -> int:
        """`row` once per messenger on which the person has a private chat that has not blocked
        the bot, in one INSERT … SELECT (a decision's transaction pays one round trip for its
        message); returns how many rows were added."""
        columns = [name for name in row if name != "person_id"]
        platforms = (
            select(MessengerAccount.platform)
            .where(
                MessengerAccount.person_id == person_id,
                MessengerAccount.chat_id.is_not(None),
                MessengerAccount.blocked_at.is_(None),
            )
            .group_by(MessengerAccount.platform)
            .subquery()
        )
        values = [
            literal(row[name], type_=OutboxMessage.__table__.c[name].type) for name in columns
        ]
        result: CursorResult[Any] = await self.session.execute(  # type: ignore[assignment]
            insert(OutboxMessage).from_select(
                ["platform", "person_id", *columns],
                select(platforms.c.platform, literal(person_id), *values),
            )
        )
        return int(result.rowcount or 0)

    async def due(self, platform: str, now: dt.datetime, limit: int) -> list[OutboxMessage]:
        """Rows to send now, most urgent first, then oldest. Rows not yet due are left out: a
        recipient's later rows are held behind an earlier one in backoff by `hold_after`."""
        result = await self.session.scalars(
            select(OutboxMessage)
            .where(
                OutboxMessage.platform == platform, *_PENDING, OutboxMessage.not_before <= now,
                _SENDABLE,
            )
            .order_by(OutboxMessage.priority.desc(), OutboxMessage.id)
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
            *_PENDING, OutboxMessage.not_before <= now, _SENDABLE
        )
        if platform is not None:
            query = query.where(OutboxMessage.platform == platform)
        return int(await self.session.scalar(query) or 0)

    async def pending_by_platform(self) -> dict[str, int]:
        """Rows not finished yet (due or waiting), per messenger: the outbox's depth."""
        rows = await self.session.execute(
            select(OutboxMessage.platform, func.count())
            .where(*_PENDING).group_by(OutboxMessage.platform)
        )
        return {platform: int(n) for platform, n in rows}

    async def count_created_since(
        self, platform: str, chat_id: int, kind: str, since: dt.datetime
    ) -> int:
        """Rows of one kind written for one chat since a moment, whatever became of them."""
        return int(await self.session.scalar(
            select(func.count()).select_from(OutboxMessage).where(
                OutboxMessage.platform == platform,
                OutboxMessage.chat_id == chat_id,
                OutboxMessage.kind == kind,
                OutboxMessage.created_at >= since,
            )
        ) or 0)

    async def pending_scheduled_after(
        self, platform: str, chat_id: int, kind: str, after: dt.datetime
    ) -> bool:
        """Whether a pending row of this kind for this chat is due only after `after`."""
        found = await self.session.scalar(
            select(OutboxMessage.id).where(
                OutboxMessage.platform == platform,
                OutboxMessage.chat_id == chat_id,
                OutboxMessage.kind == kind,
                OutboxMessage.not_before > after,
                *_PENDING,
            ).limit(1)
        )
        return found is not None

    async def update_pending(self, row_id: int, **values: Any) -> None:
        await self.session.execute(
            update(OutboxMessage).where(OutboxMessage.id == row_id, *_PENDING).values(**values)
        )

    async def finish(self, row_ids: Collection[int], **values: Any) -> None:
        await self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(list(row_ids)), *_PENDING)
            .values(**values)
            .execution_options(synchronize_session=False)
        )

    async def hold_after(
        self, row: ColumnElement[bool], platform: str, after_id: int, until: dt.datetime
    ) -> None:
        """The recipient's (`row`) pending rows after `after_id` wait until `until` at least."""
        await self.session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.platform == platform, row, OutboxMessage.id > after_id, *_PENDING,
                OutboxMessage.not_before < until,
            )
            .values(not_before=until)
            .execution_options(synchronize_session=False)
        )

    async def hold_due(
        self, platform: str, now: dt.datetime, until: dt.datetime, urgent: Collection[str]
    ) -> int:
        """Quiet hours: due rows to people, of kinds that can wait, wait until `until`."""
        query = update(OutboxMessage).where(
            OutboxMessage.platform == platform, *_PENDING, OutboxMessage.not_before <= now,
            OutboxMessage.chat_id.is_(None),
        )
        if urgent:
            query = query.where(OutboxMessage.kind.not_in(list(urgent)))
        result: CursorResult[Any] = await self.session.execute(  # type: ignore[assignment]
            query.values(not_before=until).execution_options(synchronize_session=False)
        )
        return int(result.rowcount or 0)

    async def counts_by_outcome(self, broadcast_id: int) -> dict[str | None, int]:
        result = await self.session.execute(
            select(OutboxMessage.outcome, func.count())
            .where(OutboxMessage.broadcast_id == broadcast_id)
            .group_by(OutboxMessage.outcome)
        )
        return {outcome: int(count) for outcome, count in result}

    async def give_up_broadcast(
        self, broadcast_id: int, now: dt.datetime, outcome: str
    ) -> int:
        result: CursorResult[Any] = await self.session.execute(  # type: ignore[assignment]
            update(OutboxMessage)
            .where(OutboxMessage.broadcast_id == broadcast_id, *_PENDING)
            .values(given_up_at=now, outcome=outcome)
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount or 0)

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
