"""Administrators' broadcasts: one message to an audience, queued in the outbox at once and sent
by the outbox senders at each messenger's pace.

Confirming writes the broadcast and one outbox row per recipient in one transaction, keyed by the
confirm button's one-time key, so pressing confirm twice (or two workers handling the same press)
makes one broadcast. Pausing holds its rows where they are (the sender skips the rows of a
broadcast that is not "sending"); cancelling gives up the rows not yet sent. Progress is counted
from the outbox while the broadcast runs and written on the broadcast when it ends, so purging
old outbox rows keeps every report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.staff import StaffMember
from storage.models import Broadcast, utcnow
from storage.repositories.broadcasts import AudienceFilter, BroadcastRepository

__all__ = [
    "AudienceFilter", "BroadcastContent", "BroadcastError", "BroadcastProgress",
    "BroadcastService", "BroadcastState", "EmptyAudience", "NotAnAdministrator",
    "WrongBroadcastState",
]

BROADCAST = "broadcast"
# Below staff alerts and application news: a broadcast of ten thousand never holds them back.
BROADCAST_PRIORITY = -10


class BroadcastState(StrEnum):
    SENDING = "sending"
    PAUSED = "paused"
    CANCELLED = "cancelled"
    DONE = "done"


class BroadcastError(Exception):
    pass


class NotAnAdministrator(BroadcastError):
    pass


class EmptyAudience(BroadcastError):
    pass


class WrongBroadcastState(BroadcastError):
    def __init__(self, state: BroadcastState) -> None:
        super().__init__(state.value)
        self.state = state


@dataclass(frozen=True, slots=True)
class BroadcastContent:
    text: str  # the message, or the caption of the photo or document
    media_kind: str | None = None  # "photo" | "document"
    media_name: str | None = None
    media_mime: str | None = None
    media: bytes | None = None


@dataclass(frozen=True, slots=True)
class BroadcastProgress:
    id: int
    state: BroadcastState
    author_platform: str
    author_chat_id: int
    text: str
    media_kind: str | None
    media_name: str | None
    recipients: int
    sent: int
    blocked: int  # blocked the bot, or no longer reachable
    failed: int
    skipped: int  # turned news off after the broadcast was queued
    cancelled: int
    created_at: dt.datetime
    finished_at: dt.datetime | None
    progress_message_id: int | None

    @property
    def left(self) -> int:
        return max(
            0, self.recipients - self.sent - self.blocked - self.failed - self.skipped
            - self.cancelled
        )

    @property
    def handled(self) -> int:
        return self.recipients - self.left

    @property
    def ended(self) -> bool:
        return self.state in (BroadcastState.DONE, BroadcastState.CANCELLED)


# The outbox's outcome names (services.outbox) grouped as the report shows them.
_REPORTED_AS = {
    "sent": "sent",
    "blocked": "blocked",
    "nobody": "blocked",
    "failed": "failed",
    "refused": "failed",
    "nothing": "skipped",
    "cancelled": "cancelled",
}


class BroadcastService:
    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = session_factory

    async def count(self, audience: AudienceFilter) -> int:
        """The exact number of messages the audience would be sent now (one per messenger a
        person can be reached on)."""
        async with self._sessions() as session:
            return await BroadcastRepository(session).count_audience(audience)

    async def start(
        self,
        member: StaffMember,
        *,
        request_key: str,
        author_chat_id: int,
        content: BroadcastContent,
        audience: AudienceFilter,
        audience_label: dict[str, object] | None = None,
    ) -> tuple[BroadcastProgress, bool]:
        """Queue the broadcast; (its progress, True) when this call created it, (the existing
        one, False) when the key was used already."""
        if not member.is_admin:
            raise NotAnAdministrator()
        async with self._sessions() as session:
            repo = BroadcastRepository(session)
            existing = await repo.by_request_key(request_key)
            if existing is not None:
                return await self._progress(repo, existing), False
            now = utcnow()
            broadcast = Broadcast(
                request_key=request_key, author_platform=member.platform,
                author_user_id=member.user_id, author_chat_id=author_chat_id, text=content.text,
                media_kind=content.media_kind, media_name=content.media_name,
                media_mime=content.media_mime,
                media_size=len(content.media) if content.media is not None else None,
                media=content.media, audience=audience_label or {}, recipients=0,
                state=BroadcastState.SENDING.value, created_at=now,
                sent=0, blocked=0, failed=0, skipped=0, cancelled=0,
            )
            await repo.add(broadcast)
            queued = await repo.queue_rows(
                broadcast, audience, priority=BROADCAST_PRIORITY, now=now
            )
            if queued == 0:
                await session.rollback()
                raise EmptyAudience()
            broadcast.recipients = queued
            try:
                await session.commit()
            except IntegrityError:  # the same press, handled at the same moment elsewhere
                await session.rollback()
                existing = await repo.by_request_key(request_key)
                if existing is None:
                    raise
                return await self._progress(repo, existing), False
            return await self._progress(repo, broadcast), True

    async def progress(self, broadcast_id: int) -> BroadcastProgress | None:
        async with self._sessions() as session:
            repo = BroadcastRepository(session)
            broadcast = await repo.get(broadcast_id)
            return None if broadcast is None else await self._progress(repo, broadcast)

    async def pause(self, member: StaffMember, broadcast_id: int) -> BroadcastProgress:
        return await self._move(
            member, broadcast_id, {BroadcastState.SENDING}, BroadcastState.PAUSED
        )

    async def resume(self, member: StaffMember, broadcast_id: int) -> BroadcastProgress:
        return await self._move(
            member, broadcast_id, {BroadcastState.PAUSED}, BroadcastState.SENDING
        )

    async def cancel(self, member: StaffMember, broadcast_id: int) -> BroadcastProgress:
        return await self._move(
            member, broadcast_id, {BroadcastState.SENDING, BroadcastState.PAUSED},
            BroadcastState.CANCELLED,
        )

    async def settle(self, broadcast_id: int) -> BroadcastProgress | None:
        """A sending broadcast with nothing left becomes done, its counts written on it."""
        async with self._sessions() as session:
            repo = BroadcastRepository(session)
            broadcast = await repo.get(broadcast_id, for_update=True)
            if broadcast is None:
                return None
            progress = await self._progress(repo, broadcast)
            if progress.state is BroadcastState.SENDING and progress.left == 0:
                await self._end(repo, progress, BroadcastState.DONE)
                await session.commit()
                return await self.progress(broadcast_id)
            return progress

    async def recent(self, limit: int = 10) -> list[BroadcastProgress]:
        async with self._sessions() as session:
            repo = BroadcastRepository(session)
            return [await self._progress(repo, b) for b in await repo.recent(limit)]

    async def running(self) -> list[BroadcastProgress]:
        async with self._sessions() as session:
            repo = BroadcastRepository(session)
            return [await self._progress(repo, b) for b in await repo.running()]

    async def turned_news_off_since(self, moment: dt.datetime) -> set[int]:
        """Who turned general news off at or after `moment` (a broadcast's confirmation: the
        audience already left out everyone who had turned it off before)."""
        async with self._sessions() as session:
            return await BroadcastRepository(session).turned_news_off_since(moment)

    async def media(self, broadcast_id: int) -> bytes:
        async with self._sessions() as session:
            data = await BroadcastRepository(session).media_of(broadcast_id)
        if data is None:
            raise LookupError(f"broadcast {broadcast_id} has no file")
        return data

    async def set_progress_message(self, broadcast_id: int, message_id: int) -> None:
        async with self._sessions() as session:
            broadcast = await BroadcastRepository(session).get(broadcast_id)
            if broadcast is not None:
                broadcast.progress_message_id = message_id
                await session.commit()

    async def _move(
        self, member: StaffMember, broadcast_id: int, allowed: set[BroadcastState],
        to: BroadcastState,
    ) -> BroadcastProgress:
        if not member.is_admin:
            raise NotAnAdministrator()
        async with self._sessions() as session:
            repo = BroadcastRepository(session)
            broadcast = await repo.get(broadcast_id, for_update=True)
            if broadcast is None:
                raise LookupError(broadcast_id)
            state = BroadcastState(broadcast.state)
            if state not in allowed:
                raise WrongBroadcastState(state)
            if to is BroadcastState.CANCELLED:
                await repo.cancel_pending(broadcast_id, utcnow(), "cancelled")
                await self._end(repo, await self._progress(repo, broadcast), to)
            else:
                await repo.set_state(broadcast_id, to.value)
            await session.commit()
        progress = await self.progress(broadcast_id)
        assert progress is not None
        return progress

    @staticmethod
    async def _end(
        repo: BroadcastRepository, progress: BroadcastProgress, state: BroadcastState
    ) -> None:
        await repo.set_state(
            progress.id, state.value, finished_at=utcnow(), sent=progress.sent,
            blocked=progress.blocked, failed=progress.failed,
            skipped=progress.skipped, cancelled=progress.cancelled,
        )

    @staticmethod
    async def _progress(repo: BroadcastRepository, broadcast: Broadcast) -> BroadcastProgress:
        state = BroadcastState(broadcast.state)
        counts = {"sent": 0, "blocked": 0, "failed": 0, "skipped": 0, "cancelled": 0}
        if state in (BroadcastState.DONE, BroadcastState.CANCELLED):
            counts.update(sent=broadcast.sent, blocked=broadcast.blocked,
                          failed=broadcast.failed, skipped=broadcast.skipped,
                          cancelled=broadcast.cancelled)
        else:
            for outcome, count in (await repo.outcome_counts(broadcast.id)).items():
                if outcome is not None:
                    key = _REPORTED_AS.get(outcome, "failed")
                    counts[key] += count
        return BroadcastProgress(
            id=broadcast.id, state=state, author_platform=broadcast.author_platform,
            author_chat_id=broadcast.author_chat_id, text=broadcast.text,
            media_kind=broadcast.media_kind, media_name=broadcast.media_name,
            recipients=broadcast.recipients, created_at=broadcast.created_at,
            finished_at=broadcast.finished_at,
            progress_message_id=broadcast.progress_message_id, **counts,
        )


async def purge_outbox(
    session_factory: async_sessionmaker[AsyncSession], *, keep_days: int,
    now: dt.datetime | None = None, batch: int = 10_000,
) -> int:
    """Delete up to `batch` outbox rows finished more than `keep_days` ago; a broadcast's rows
    only once it has ended (its counts are then on the broadcast itself)."""
    cutoff = (now or utcnow()) - dt.timedelta(days=keep_days)
    async with session_factory() as session:
        removed = await BroadcastRepository(session).purge_finished_rows(cutoff, batch)
        await session.commit()
    return removed
