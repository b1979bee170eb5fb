"""A ticket's forum topic in its staff chat: found by (messenger, chat, topic), claimed once."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Ticket


async def ticket_in_thread(
    session: AsyncSession, platform: str, chat_id: int, thread_id: int
) -> Ticket | None:
    return await session.scalar(
        select(Ticket)
        .where(
            Ticket.staff_platform == platform,
            Ticket.staff_chat_id == chat_id,
            Ticket.staff_thread_id == thread_id,
        )
        .order_by(Ticket.id.desc())
        .limit(1)
    )


async def claim_thread(
    session: AsyncSession, ticket_id: int, platform: str, chat_id: int, thread_id: int
) -> bool:
    """Set the ticket's topic unless it has one already (or its staff chat moved meanwhile):
    one conditional UPDATE, so of two senders only the first wins."""
    result = await session.execute(
        update(Ticket)
        .where(
            Ticket.id == ticket_id,
            Ticket.staff_thread_id.is_(None),
            Ticket.staff_platform == platform,
            Ticket.staff_chat_id == chat_id,
        )
        .values(staff_thread_id=thread_id)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]
