"""What happens when a relay cannot be delivered (the sender calls these from the wordings'
on_undelivered hook; a 429 or 5xx is retried by the sender and never comes here).

A caseworker's message to a person who blocked the bot: the staff chat is told, one line. A
person's message to a staff chat that is gone (the bot was removed: 403, or 400 "chat not
found"): the person is told the service is busy, once per ticket (a "system" line in the
ticket records it), the message stays kept, and the operator gets one log line of ids."""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.outbox import enqueue
from services.tickets.model import (
    PERSON_BLOCKED,
    STAFF_UNREACHABLE,
    TICKET_PERSON_NOTICE,
    TICKET_PRIORITY,
    TICKET_STAFF_EVENT,
)
from storage.models import TicketMessage
from storage.repositories.tickets import TicketRepository

logger = logging.getLogger(__name__)


class TicketDelivery:
    _sessions: async_sessionmaker[AsyncSession]

    async def person_unreachable(self, message_id: int) -> None:
        """A caseworker's message `message_id` reached none of the person's chats."""
        async with self._sessions() as session:
            repo = TicketRepository(session)
            row = await repo.message(message_id)
            ticket = await repo.get(row.ticket_id) if row is not None else None
            if ticket is None or ticket.staff_platform is None or ticket.staff_chat_id is None:
                return
            await enqueue(
                session, kind=TICKET_STAFF_EVENT,
                payload={"ticket_id": ticket.id, "event": PERSON_BLOCKED},
                platform=ticket.staff_platform, chat_id=ticket.staff_chat_id,
                priority=TICKET_PRIORITY,
            )
            await session.commit()
            logger.info("ticket %s: message %s not delivered, the person blocked the bot",
                        ticket.id, message_id)

    async def staff_chat_unreachable(self, message_id: int, platform: str, chat_id: int) -> None:
        """The person's message `message_id` could not be posted in staff chat `chat_id`."""
        async with self._sessions() as session:
            repo = TicketRepository(session)
            row = await repo.message(message_id)
            ticket = await repo.get(row.ticket_id) if row is not None else None
            if ticket is None:
                return
            logger.error(
                "ticket %s: staff chat %s:%s refused message %s (is the bot still in it?); "
                "the message is kept", ticket.id, platform, chat_id, message_id,
            )
            if await repo.has_system_line(ticket.id, STAFF_UNREACHABLE):
                return
            await repo.add_message(TicketMessage(
                ticket_id=ticket.id, direction="system", kind="text", text=STAFF_UNREACHABLE,
            ))
            await enqueue(
                session, kind=TICKET_PERSON_NOTICE,
                payload={"ticket_id": ticket.id, "event": STAFF_UNREACHABLE},
                person_id=ticket.person_id, priority=TICKET_PRIORITY,
            )
            await session.commit()
