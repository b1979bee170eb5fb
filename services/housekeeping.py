"""Chores the running service does in the background: dropping conversation state nobody has
touched for FSM_IDLE_DAYS (a half-filled form abandoned months ago is personal data kept for
nothing)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import utcnow
from storage.repositories.fsm import FsmRepository

# Per run: a few hours apart, this clears a backlog of many thousands a day without one long
# statement holding the table.
PURGE_BATCH = 10_000


async def purge_idle_conversations(
    session_factory: async_sessionmaker[AsyncSession],
    *,
    idle_days: int,
    now: dt.datetime | None = None,
    batch: int = PURGE_BATCH,
) -> int:
    """Delete up to `batch` conversation-state rows last written more than `idle_days` before
    `now`; returns how many went."""
    cutoff = (now or utcnow()) - dt.timedelta(days=idle_days)
    async with session_factory() as session:
        removed = await FsmRepository(session).purge_older_than(cutoff, limit=batch)
        await session.commit()
    return removed
