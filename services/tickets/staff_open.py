"""A caseworker starts the conversation: «💬 Message the applicant» on an application card opens
(or reuses) the applicant's ticket (topic application, context {"application_id"}), sends the
typed words to the person as a caseworker's message, and shows a copy in the ticket's staff
chat (a "system" row authored by the caseworker: replying to it goes on in the ticket)."""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.outbox import enqueue
from services.staff import StaffMember
from services.tickets.model import (
    TICKET_PRIORITY,
    TICKET_TO_PERSON,
    TICKET_TO_STAFF,
    StaffOutcome,
    StaffResult,
)
from services.tickets.rows import account_key
from services.tickets.service import TicketService
from storage.models import Application, TicketMessage, utcnow
from storage.repositories.persons import PersonRepository
from storage.repositories.tickets import TicketRepository

logger = logging.getLogger(__name__)


class StaffOpenedTickets:
    def __init__(
        self, session_factory: async_sessionmaker[AsyncSession], tickets: TicketService
    ) -> None:
        self._sessions = session_factory
        self._tickets = tickets

    async def message_applicant(
        self, member: StaffMember, platform: str, app_id: int, text: str
    ) -> StaffResult:
        async with self._sessions() as session:
            application = await session.get(Application, app_id)
            if application is None:
                return StaffResult(StaffOutcome.NOT_RELAYED)
            person = await PersonRepository(session).get(application.person_id)
            if not member.can_see_province(person.province if person is not None else None):
                return StaffResult(StaffOutcome.OUT_OF_SCOPE)
            person_id = application.person_id
        opened = await self._tickets.open_ticket(
            person_id, "application", {"application_id": app_id}
        )
        async with self._sessions() as session:
            repo = TicketRepository(session)
            ticket = await repo.get(opened.ticket_id)
            assert ticket is not None
            author, now = account_key(platform, member.user_id), utcnow()
            row = await repo.add_message(TicketMessage(
                ticket_id=ticket.id, direction="out", author=author, kind="text", text=text,
            ))
            ticket.first_response_at = ticket.first_response_at or now
            ticket.last_staff_at, ticket.assignee = now, ticket.assignee or author
            await enqueue(
                session, kind=TICKET_TO_PERSON, payload={"message_id": row.id},
                person_id=person_id, priority=TICKET_PRIORITY,
            )
            chat = await self._tickets.staff_chat_for(
                session, ticket.province, ticket.staff_platform or platform
            )
            if chat is not None:
                ticket.staff_platform, ticket.staff_chat_id = chat.platform, chat.chat_id
                copy = await repo.add_message(TicketMessage(
                    ticket_id=ticket.id, direction="system", author=author, kind="text",
                    text=text,
                ))
                await enqueue(
                    session, kind=TICKET_TO_STAFF, payload={"message_id": copy.id},
                    platform=chat.platform, chat_id=chat.chat_id, priority=TICKET_PRIORITY,
                )
            await session.commit()
            logger.info("ticket %s: opened by staff %s from application %s; message %s queued",
                        ticket.id, author, app_id, row.id)
            return StaffResult(StaffOutcome.RELAYED, ticket.id)
