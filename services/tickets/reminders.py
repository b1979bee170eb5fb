"""The unanswered-ticket reminder, a scheduled outbox row so it survives restarts: when a
person's message starts a wait (the first since a caseworker answered, or of the ticket), a
TICKET_REMINDER row to the staff chat is written with not_before = now + TICKET_REMINDER_MINUTES.
At send time `reminder_due` decides whether it still has something to say: nothing when the
ticket was answered since, closed, or already reminded for this wait."""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.outbox import as_utc, enqueue
from services.tickets.model import TICKET_PRIORITY, TICKET_REMINDER, StaffChatRef
from storage.models import Ticket, utcnow
from storage.repositories.tickets import TicketRepository

logger = logging.getLogger(__name__)


async def schedule_reminder(
    session: AsyncSession, ticket: Ticket, chat: StaffChatRef, minutes: int, now: dt.datetime
) -> None:
    """In the caller's transaction; `minutes` 0 means reminders are off."""
    if minutes <= 0:
        return
    await enqueue(
        session, kind=TICKET_REMINDER,
        payload={"ticket_id": ticket.id, "since": now.isoformat()},
        platform=chat.platform, chat_id=chat.chat_id, priority=TICKET_PRIORITY,
        not_before=now + dt.timedelta(minutes=minutes),
    )


class TicketReminders:
    _sessions: async_sessionmaker[AsyncSession]

    async def reminder_due(self, ticket_id: int, since: str) -> bool:
        """Whether the wait that began at `since` is still unanswered and not reminded of; if
        so it is marked reminded now (the row is then sent: at least once, like every row)."""
        began = as_utc(dt.datetime.fromisoformat(since))
        async with self._sessions() as session:
            ticket = await TicketRepository(session).get(ticket_id)
            if (
                ticket is None or ticket.closed_at is not None
                or (ticket.last_staff_at is not None and as_utc(ticket.last_staff_at) >= began)
                or (ticket.reminded_at is not None and as_utc(ticket.reminded_at) >= began)
            ):
                return False
            ticket.reminded_at = utcnow()
            await session.commit()
            logger.info("ticket %s: unanswered since %s; staff reminded", ticket_id, since)
            return True

