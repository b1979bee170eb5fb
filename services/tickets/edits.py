"""An edit of a message already relayed: the person edits theirs (edited_message), or a
caseworker edits their reply. The stored text and `edited_at` are updated, and when the copy
was already relayed an outbox row carries the edit there (the bot edits the copy in place
where the messenger shows edits, else says «✏️ edited:» in a new message). A message not yet
relayed needs nothing more: its relay reads the stored text when it is sent."""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.outbox import enqueue
from services.tickets.model import TICKET_PRIORITY
from storage.models import Ticket, TicketMessage, utcnow

logger = logging.getLogger(__name__)

# Outbox kind: {"message_id" (a TicketMessage), "platform" (where its copy is)}; to the staff
# chat holding the copy, or to the person (the rows of other messengers are skipped).
TICKET_EDIT = "ticket_edit"
TEXT_MAX_CHARS = 4096


class TicketEdits:
    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = session_factory

    async def edited(
        self, platform: str, chat_id: int, message_id: int, text: str | None
    ) -> bool:
        """True when the edited message was a ticket's (and the edit is on its way)."""
        async with self._sessions() as session:
            row = await session.scalar(
                select(TicketMessage).where(
                    TicketMessage.source_platform == platform,
                    TicketMessage.source_chat_id == chat_id,
                    TicketMessage.source_message_id == message_id,
                    TicketMessage.direction.in_(("in", "out")),
                ).limit(1)
            )
            if row is None or (text or None) == row.text:
                return False
            row.text = (text or "")[:TEXT_MAX_CHARS] or None
            row.edited_at = utcnow()
            if row.relayed_chat_id is not None and row.relayed_platform is not None:
                payload = {"message_id": row.id, "platform": row.relayed_platform}
                if row.direction == "out":
                    # To the person (their language, after the relay it edits); only the row
                    # of the messenger holding the copy is sent.
                    ticket = await session.get(Ticket, row.ticket_id)
                    assert ticket is not None
                    await enqueue(session, kind=TICKET_EDIT, payload=payload,
                                  person_id=ticket.person_id, priority=TICKET_PRIORITY)
                else:
                    await enqueue(session, kind=TICKET_EDIT, payload=payload,
                                  platform=row.relayed_platform, chat_id=row.relayed_chat_id,
                                  priority=TICKET_PRIORITY)
            await session.commit()
            logger.info("ticket %s: message %s edited", row.ticket_id, row.id)
            return True
