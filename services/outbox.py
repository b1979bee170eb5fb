"""The outbox: messages that are not an immediate reply, made durable.

`enqueue` is called by the service that makes a change, inside its transaction and before its
commit, so the change and the message to tell about it are saved together or not at all. The
bot's sender (bot/notifications/sender.py) drains the rows through OutboxService: it sends, then
records the outcome here; a crash between the two sends that message again (at least once)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import OutboxMessage, utcnow
from storage.repositories.accounts import AccountRepository
from storage.repositories.outbox import OutboxRepository


async def enqueue(
    session: AsyncSession,
    *,
    kind: str,
    payload: dict[str, Any],
    person_id: int | None = None,
    platform: str | None = None,
    chat_id: int | None = None,
    priority: int = 0,
    not_before: dt.datetime | None = None,
) -> int:
    """Add the rows for one message to the caller's transaction (no commit); returns how many.

    To a person: one row per messenger on which they have a private chat that has not blocked
    the bot (0 means nobody can be reached now); the chat and language are read at send time.
    To a chat: `platform` and `chat_id`, one row."""
    if (person_id is None) == (chat_id is None):
        raise ValueError("a message goes to a person or to a chat")
    if chat_id is not None:
        if platform is None:
            raise ValueError("a chat is named by its platform and id")
        platforms = [platform]
    else:
        assert person_id is not None
        accounts = await AccountRepository(session).of_person(person_id)
        platforms = list(dict.fromkeys(
            a.platform for a in accounts if a.chat_id is not None and a.blocked_at is None
        ))
    now = utcnow()
    repo = OutboxRepository(session)
    for where in platforms:
        repo.add(OutboxMessage(
            platform=where, person_id=person_id, chat_id=chat_id, kind=kind, payload=payload,
            priority=priority, not_before=not_before or now, attempts=0, created_at=now,
        ))
    return len(platforms)


@dataclass(frozen=True, slots=True)
class OutboxItem:
    id: int
    platform: str
    person_id: int | None
    chat_id: int | None
    kind: str
    payload: dict[str, Any]
    not_before: dt.datetime
    attempts: int
    broadcast_id: int | None = None

    @property
    def recipient(self) -> tuple[str, int]:
        """Rows with the same recipient go out in id order."""
        if self.person_id is not None:
            return ("person", self.person_id)
        assert self.chat_id is not None
        return ("chat", self.chat_id)

    def is_due(self, now: dt.datetime) -> bool:
        return as_utc(self.not_before) <= now


def as_utc(moment: dt.datetime) -> dt.datetime:
    # SQLite hands timestamps back without their zone; they were written in UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


class OutboxService:
    """The sender's side: what is pending, and what became of each row."""

    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = session_factory

    async def pending(self, platform: str, limit: int = 200) -> list[OutboxItem]:
        async with self._sessions() as session:
            rows = await OutboxRepository(session).pending(platform, limit)
            return [
                OutboxItem(r.id, r.platform, r.person_id, r.chat_id, r.kind, dict(r.payload),
                           r.not_before, r.attempts, r.broadcast_id)
                for r in rows
            ]

    async def still_sendable(self, item: OutboxItem) -> bool:
        """Checked just before sending a broadcast's row: a pause or cancel pressed while the
        row waited for its slot holds it back."""
        async with self._sessions() as session:
            return await OutboxRepository(session).sendable(item.id)

    async def due_count(self, platform: str | None = None) -> int:
        async with self._sessions() as session:
            return await OutboxRepository(session).due_count(utcnow(), platform)

    async def sent(
        self, item: OutboxItem, note: str | None = None, *, outcome: str = "sent"
    ) -> None:
        """Done: delivered, or nobody left to deliver to (`note` says why, e.g. blocked);
        `outcome` is what a broadcast's report counts it as (sent, blocked, nobody, nothing)."""
        # A note replaces the last error; without one the failures before success stay on record.
        values: dict[str, Any] = {"sent_at": utcnow(), "outcome": outcome}
        if note is not None:
            values["last_error"] = note
        await self._update(item.id, **values)

    async def failed(
        self, item: OutboxItem, error: str, *, max_attempts: int, backoff_seconds: float
    ) -> bool:
        """A failure that may pass (5xx, network): try again after an exponential backoff, or
        give up at `max_attempts`. Returns True when given up."""
        attempts = item.attempts + 1
        now = utcnow()
        if attempts >= max_attempts:
            await self._update(
                item.id, attempts=attempts, last_error=error, given_up_at=now, outcome="failed"
            )
            return True
        delay = dt.timedelta(seconds=backoff_seconds * 2 ** (attempts - 1))
        await self._update(item.id, attempts=attempts, last_error=error, not_before=now + delay)
        return False

    async def give_up(self, item: OutboxItem, error: str) -> None:
        """A failure that will not pass by retrying (e.g. a 400: the message itself is wrong)."""
        await self._update(
            item.id, attempts=item.attempts + 1, last_error=error, given_up_at=utcnow(),
            outcome="refused",
        )

    async def take_lease(self, token_hash: str, holder: str, seconds: float) -> bool:
        now = utcnow()
        async with self._sessions() as session:
            taken = await OutboxRepository(session).take_lease(
                token_hash, holder, now, now + dt.timedelta(seconds=seconds)
            )
            await session.commit()
            return taken

    async def release_lease(self, token_hash: str, holder: str) -> None:
        async with self._sessions() as session:
            await OutboxRepository(session).release_lease(token_hash, holder, utcnow())
            await session.commit()

    async def _update(self, row_id: int, **values: Any) -> None:
        async with self._sessions() as session:
            await OutboxRepository(session).update_pending(row_id, **values)
            await session.commit()
