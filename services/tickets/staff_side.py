"""The staff's side of a ticket: a caseworker answers, notes, closes or points at a ticket. Staff
find a ticket only through the forum topic they write in or the relayed message they reply to
(its messenger, chat and message id), never by parsing the words they see; a caseworker acts
only on tickets of their provinces."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.outbox import enqueue
from services.staff import StaffMember
from services.tickets.model import (
    TICKET_CLOSED,
    TICKET_PRIORITY,
    TICKET_TO_PERSON,
    Incoming,
    StaffOutcome,
    StaffResult,
)
from services.tickets.rows import account_key, message_row
from storage.models import Ticket, utcnow
from storage.repositories.ticket_threads import ticket_in_thread
from storage.repositories.tickets import TicketRepository

logger = logging.getLogger(__name__)
OnTicket = Callable[[AsyncSession, Ticket], Awaitable[StaffResult]]


class TicketStaffSide:
    _sessions: async_sessionmaker[AsyncSession]

    async def from_staff(
        self, member: StaffMember, platform: str, chat_id: int, reply_to_message_id: int | None,
        message: Incoming, *, thread_id: int | None = None,
    ) -> StaffResult:
        """A caseworker's reply to a relayed message: stored and queued for the person."""

        async def relay(session: AsyncSession, ticket: Ticket) -> StaffResult:
            now = utcnow()
            author = account_key(platform, member.user_id)
            row = await TicketRepository(session).add_message(
                message_row(ticket.id, "out", message, author=author)
            )
            ticket.first_response_at = ticket.first_response_at or now
            ticket.last_staff_at = now
            ticket.assignee = ticket.assignee or author
            ticket.status = "waiting"  # for the beneficiary
            rows = await enqueue(
                session, kind=TICKET_TO_PERSON, payload={"message_id": row.id},
                person_id=ticket.person_id, priority=TICKET_PRIORITY,
            )
            await session.commit()
            if not rows:  # every chat of the person blocked the bot: kept, said at once
                logger.info("ticket %s: staff message %s kept; the person blocked the bot",
                            ticket.id, row.id)
                return StaffResult(StaffOutcome.PERSON_UNREACHABLE, ticket.id)
            logger.info("ticket %s: staff message %s queued for the person", ticket.id, row.id)
            return StaffResult(StaffOutcome.RELAYED, ticket.id)

        return await self._on_replied_ticket(
            member, platform, chat_id, reply_to_message_id, relay, thread_id=thread_id
        )

    async def note(
        self, member: StaffMember, platform: str, chat_id: int, reply_to_message_id: int | None,
        message: Incoming, *, thread_id: int | None = None,
    ) -> StaffResult:
        """A private note on the ticket: stored, never sent to the person."""

        async def store(session: AsyncSession, ticket: Ticket) -> StaffResult:
            author = account_key(platform, member.user_id)
            await TicketRepository(session).add_message(
                message_row(ticket.id, "note", message, author=author)
            )
            await session.commit()
            return StaffResult(StaffOutcome.NOTED, ticket.id)

        return await self._on_replied_ticket(
            member, platform, chat_id, reply_to_message_id, store, thread_id=thread_id
        )

    async def close_by_staff(
        self, member: StaffMember, platform: str, chat_id: int, reply_to_message_id: int | None,
        *, thread_id: int | None = None,
    ) -> StaffResult:
        """Close the ticket; the person is asked to rate the conversation."""

        async def close(session: AsyncSession, ticket: Ticket) -> StaffResult:
            ticket.closed_at = utcnow()
            ticket.closed_by = account_key(platform, member.user_id)
            ticket.status = "resolved"
            await enqueue(
                session, kind=TICKET_CLOSED, payload={"ticket_id": ticket.id},
                person_id=ticket.person_id, priority=TICKET_PRIORITY,
            )
            await session.commit()
            logger.info("ticket %s closed by staff", ticket.id)
            return StaffResult(StaffOutcome.CLOSED_NOW, ticket.id)

        return await self._on_replied_ticket(
            member, platform, chat_id, reply_to_message_id, close, thread_id=thread_id
        )

    async def locate(
        self, member: StaffMember, platform: str, chat_id: int, reply_to_message_id: int | None,
        *, thread_id: int | None = None,
    ) -> StaffResult:
        """The ticket a caseworker points at (a topic, or a relayed message replied to), for
        reading: FOUND, or why not (another province's included)."""

        async def found(session: AsyncSession, ticket: Ticket) -> StaffResult:
            return StaffResult(StaffOutcome.FOUND, ticket.id)

        return await self._on_replied_ticket(
            member, platform, chat_id, reply_to_message_id, found, thread_id=thread_id,
            closed_too=True,
        )

    async def _on_replied_ticket(
        self,
        member: StaffMember,
        platform: str,
        chat_id: int,
        reply_to_message_id: int | None,
        then: OnTicket,
        *,
        thread_id: int | None = None,
        closed_too: bool = False,
    ) -> StaffResult:
        """The ticket of the forum topic `thread_id` when given, else of the relayed message
        replied to."""
        async with self._sessions() as session:
            repo = TicketRepository(session)
            if thread_id is not None:
                ticket = await ticket_in_thread(session, platform, chat_id, thread_id)
                if ticket is None:
                    return StaffResult(StaffOutcome.NOT_RELAYED)
            else:
                replied = (
                    await repo.by_relayed(platform, chat_id, reply_to_message_id)
                    if reply_to_message_id is not None else None
                )
                # "system": a line the bot posted in the staff chat (a conflict, a caseworker's
                # opening message); answering it goes on in the ticket too.
                if replied is None or replied.direction not in ("in", "system"):
                    return StaffResult(StaffOutcome.NOT_RELAYED)
                ticket = await repo.get(replied.ticket_id)
                assert ticket is not None
            if not member.can_see_province(ticket.province):
                logger.info("ticket %s: out of scope for staff %s:%s", ticket.id, platform,
                            member.user_id)
                return StaffResult(StaffOutcome.OUT_OF_SCOPE, ticket.id)
            if ticket.closed_at is not None and not closed_too:
                return StaffResult(StaffOutcome.ALREADY_CLOSED, ticket.id)
            return await then(session, ticket)
