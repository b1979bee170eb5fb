"""The outbox: messages that are not an immediate reply, made durable.

`enqueue` is called by the service that makes a change, inside its transaction and before its
commit, so the change and the message to tell about it are saved together or not at all. The
bot's sender (bot/notifications/sender.py) drains the rows through OutboxService: it sends, then
records the outcome here; a crash between the two sends that message again (at least once)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import OutboxMessage, utcnow
from storage.repositories.outbox import OutboxRepository


class Outcome(StrEnum):
    """How a row ended (outbox.outcome; NULL while pending)."""

    SENT = "sent"
    BLOCKED = "blocked"  # a 403 from every chat of the recipient
    NOBODY = "nobody"  # no reachable chat any more
    NOTHING = "nothing"  # the wording had nothing to say any more
    FAILED = "failed"  # given up after retries (5xx, network), or it could not be worded
    REFUSED = "refused"  # a 4xx other than 403/429: sending it again cannot help
    CANCELLED = "cancelled"  # its broadcast was cancelled


PENDING = "pending"  # the key of the rows not finished yet in counts_by_outcome
# Outcomes that end a row as done (sent_at set); the others give it up (given_up_at set).
DONE = frozenset({Outcome.SENT, Outcome.BLOCKED, Outcome.NOBODY, Outcome.NOTHING})
_NOTES = {
    Outcome.BLOCKED: "blocked", Outcome.NOBODY: "nobody to tell",
    Outcome.NOTHING: "nothing to say",
}
# Kinds sent during quiet hours too (rows to a chat, i.e. staff alerts, always are): the
# hand-off relay is a live conversation. (services.tickets's names; it imports this module.)
URGENT_KINDS: frozenset[str] = frozenset({
    "ticket_to_person", "ticket_closed", "ticket_person_notice",
})


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
    now = utcnow()
    row = {
        "person_id": person_id, "chat_id": chat_id, "kind": kind, "payload": payload,
        "priority": priority, "not_before": not_before or now, "attempts": 0, "created_at": now,
    }
    repo = OutboxRepository(session)
    if chat_id is not None:
        if platform is None:
            raise ValueError("a chat is named by its platform and id")
        await repo.add_many([{**row, "platform": platform}])
        return 1
    assert person_id is not None
    return await repo.add_for_reachable_accounts(person_id, row)


@dataclass(frozen=True, slots=True)
class PersonMessage:
    """One message to a person, for `enqueue_many`."""

    person_id: int
    kind: str
    payload: dict[str, Any]
    priority: int = 0
    not_before: dt.datetime | None = None


async def enqueue_many(session: AsyncSession, messages: Sequence[PersonMessage]) -> int:
    """`enqueue` for many people at once (e.g. everyone enrolled in a course): their reachable
    messengers in one query, the rows in one INSERT, in the order given; returns how many rows
    were added. Same caller's-transaction rule as `enqueue`."""
    if not messages:
        return 0
    repo = OutboxRepository(session)
    reachable = await repo.reachable_platforms({message.person_id for message in messages})
    now = utcnow()
    rows = [
        {
            "platform": platform, "person_id": message.person_id, "chat_id": None,
            "kind": message.kind, "payload": message.payload, "priority": message.priority,
            "not_before": message.not_before or now, "attempts": 0, "created_at": now,
        }
        for message in messages
        for platform in reachable.get(message.person_id, ())
    ]
    if rows:
        await repo.add_many(rows)
    return len(rows)


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

    def same_recipient(self) -> ColumnElement[bool]:
        if self.person_id is not None:
            return OutboxMessage.person_id == self.person_id
        return OutboxMessage.chat_id == self.chat_id


def as_utc(moment: dt.datetime) -> dt.datetime:
    # SQLite hands timestamps back without their zone; they were written in UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


class OutboxService:
    """The sender's side: what is pending, and what became of each row."""

    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = session_factory

    async def due(self, platform: str, limit: int = 500) -> list[OutboxItem]:
        """Rows to send now: most urgent first, then in id order; a broadcast's only while it
        is sending."""
        async with self._sessions() as session:
            rows = await OutboxRepository(session).due(platform, utcnow(), limit)
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

    async def finish(self, outcomes: Mapping[Outcome, Collection[int]]) -> None:
        """Record a batch of done rows (DONE outcomes): one UPDATE per outcome, one commit."""
        now = utcnow()
        async with self._sessions() as session:
            repo = OutboxRepository(session)
            for outcome, row_ids in outcomes.items():
                if not row_ids:
                    continue
                if outcome not in DONE:
                    raise ValueError(f"{outcome} is not a done outcome")
                values: dict[str, Any] = {"sent_at": now, "outcome": outcome.value}
                # A note replaces the last error; without one, the failures before success
                # stay on record.
                if outcome in _NOTES:
                    values["last_error"] = _NOTES[outcome]
                await repo.finish(row_ids, **values)
            await session.commit()

    async def failed(
        self, item: OutboxItem, error: str, *, max_attempts: int, backoff_seconds: float
    ) -> bool:
        """A failure that may pass (5xx, network): try again after an exponential backoff, or
        give up at `max_attempts` (outcome failed). Returns True when given up.

        The recipient's later rows wait for the retry too, in the same transaction: the sender
        reads due rows only, so this is what keeps them from overtaking it."""
        attempts = item.attempts + 1
        now = utcnow()
        if attempts >= max_attempts:
            await self._update(item.id, attempts=attempts, last_error=error, given_up_at=now,
                               outcome=Outcome.FAILED.value)
            return True
        retry_at = now + dt.timedelta(seconds=backoff_seconds * 2 ** (attempts - 1))
        async with self._sessions() as session:
            repo = OutboxRepository(session)
            await repo.update_pending(item.id, attempts=attempts, last_error=error,
                                      not_before=retry_at)
            await repo.hold_after(item.same_recipient(), item.platform, item.id, retry_at)
            await session.commit()
        return False

    async def give_up(
        self, item: OutboxItem, error: str, outcome: Outcome = Outcome.REFUSED
    ) -> None:
        """A failure that will not pass by retrying (e.g. a 400: the message itself is wrong)."""
        await self._update(
            item.id, attempts=item.attempts + 1, last_error=error, given_up_at=utcnow(),
            outcome=outcome.value,
        )

    async def hold_during_quiet_hours(
        self, platform: str, until: dt.datetime, urgent: Collection[str] = URGENT_KINDS
    ) -> int:
        """Due rows to people of kinds that can wait (not `urgent`) wait until `until`, in one
        UPDATE; their ids, hence their order, stay. Returns how many were held."""
        async with self._sessions() as session:
            held = await OutboxRepository(session).hold_due(platform, utcnow(), until, urgent)
            await session.commit()
            return held

    async def counts_by_outcome(self, broadcast_id: int) -> dict[str, int]:
        """A broadcast's rows by outcome, the unfinished ones under "pending"."""
        async with self._sessions() as session:
            counts = await OutboxRepository(session).counts_by_outcome(broadcast_id)
        return {PENDING if outcome is None else outcome: n for outcome, n in counts.items()}

    async def cancel_broadcast(self, broadcast_id: int) -> int:
        """Give up every pending row of the broadcast (outcome cancelled); returns how many.
        Rows already with the sender may still go out (at most its rows in flight)."""
        async with self._sessions() as session:
            cancelled = await OutboxRepository(session).give_up_broadcast(
                broadcast_id, utcnow(), Outcome.CANCELLED.value
            )
            await session.commit()
            return cancelled

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
