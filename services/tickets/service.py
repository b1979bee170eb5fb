"""The hand-off: a beneficiary's messages to caseworkers and back, each stored, each relay
written to the outbox in the transaction that stores the message (so a message is never kept
without its relay, nor relayed without being kept), and so delivered in order, durably.

Staff find a ticket only through the relayed message they reply to (its messenger, chat and
message id), never by parsing the words they see. Logs carry ids, never texts."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.outbox import as_utc, enqueue
from services.staff_alerts import StaffChats
from services.staff_chats import route
from services.tickets.about import about_of
from services.tickets.delivery import TicketDelivery
from services.tickets.model import (
    CLOSED_BY_PERSON,
    REOPENED,
    TICKET_PRIORITY,
    TICKET_STAFF_EVENT,
    TICKET_TO_STAFF,
    TOPICS,
    Incoming,
    OpenedTicket,
    PersonOutcome,
    PersonResult,
    RelayView,
    StaffChatRef,
)
from services.tickets.reminders import TicketReminders, schedule_reminder
from services.tickets.rows import message_row
from services.tickets.staff_tools import TicketStaffTools
from services.tickets.threads import TicketThreads
from services.webhooks import emitters as webhook_events
from storage.models import Ticket, utcnow
from storage.repositories.persons import PersonRepository
from storage.repositories.tickets import TicketRepository

logger = logging.getLogger(__name__)
T = TypeVar("T")
# Two first messages at the same moment race for the one open ticket (the partial unique
# index): the loser reads the winner's; a third try would mean something else is wrong.
_OPEN_ATTEMPTS = 2
# The first words typed (outside a ticket) after rating a ticket closed less than this long ago
# are the rating's comment.
COMMENT_WINDOW = dt.timedelta(days=1)


class TicketService(TicketStaffTools, TicketReminders, TicketDelivery, TicketThreads):
    """The person's side here; the staff's side in staff_side.py and staff_tools.py, the
    forum topics in threads.py, reminders and undelivered relays in their own modules."""

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        staff_chats: StaffChats,
        *,
        reopen_days: int = 7,
        reminder_minutes: int = 60,
    ) -> None:
        self._sessions = session_factory
        self._staff_chats = staff_chats
        self._reopen_after_close = dt.timedelta(days=reopen_days)
        self._reminder_minutes = reminder_minutes

    # -- routing ------------------------------------------------------------------------------

    async def staff_chat_for(
        self, session: AsyncSession, province: str | None, platform: str
    ) -> StaffChatRef | None:
        """The staff chat that serves a ticket of `province` whose person writes on `platform`:
        the chat bound to the province (`/bindchat`), else that messenger's staff group
        (STAFF_CHAT_*), else the other messenger's — one staff chat may serve both."""
        where = await route(session, self._staff_chats, province, platform)
        return StaffChatRef(*where) if where is not None else None

    # -- the person's side --------------------------------------------------------------------

    async def open_ticket(
        self, person_id: int, topic: str = "other", context: dict[str, Any] | None = None
    ) -> OpenedTicket:
        """The person's open ticket (its topic and context updated when given anew), or the one
        closed less than TICKET_REOPEN_DAYS ago reopened, or a new one."""
        if topic not in TOPICS:
            raise ValueError(f"not a ticket topic: {topic}")

        async def opened(session: AsyncSession, ticket: Ticket, reopened: bool) -> OpenedTicket:
            await session.commit()
            return OpenedTicket(ticket.id, reopened)

        return await self._with_open_ticket(person_id, topic, context or {}, opened)

    async def open_ticket_of(self, person_id: int) -> int | None:
        async with self._sessions() as session:
            ticket = await TicketRepository(session).open_of(person_id)
            return ticket.id if ticket is not None else None

    async def from_person(
        self, person_id: int, platform: str, message: Incoming, *, topic: str = "other"
    ) -> PersonResult:
        """Store the person's message in their ticket (opened if need be) and queue its relay to
        the ticket's staff chat; a banned person's, or one no staff chat serves, is kept only."""

        async def store(session: AsyncSession, ticket: Ticket, reopened: bool) -> PersonResult:
            repo = TicketRepository(session)
            now = utcnow()
            first = (
                reopened or ticket.last_person_at is None
                or (ticket.last_staff_at is not None
                    and as_utc(ticket.last_staff_at) > as_utc(ticket.last_person_at))
            )
            row = await repo.add_message(message_row(ticket.id, "in", message))
            ticket.last_person_at = now
            ticket.status = "open"  # the person wrote last
            ban = await repo.ban_of(person_id)
            if ban is not None:
                tell = ban.told_at is None
                ban.told_at = ban.told_at or now
                logger.info("ticket %s: message %s of a banned person kept", ticket.id, row.id)
                await session.commit()
                return PersonResult(PersonOutcome.BANNED, ticket.id, row.id, tell)
            chat = await self.staff_chat_for(session, ticket.province, platform)
            if chat is None:
                logger.warning(
                    "ticket %s: no staff chat for %s; message %s kept, not relayed "
                    "(set STAFF_CHAT_%s)", ticket.id, platform, row.id, platform.upper(),
                )
                await session.commit()
                return PersonResult(PersonOutcome.BUSY, ticket.id, row.id, True)
            if (ticket.staff_platform, ticket.staff_chat_id) != (chat.platform, chat.chat_id):
                ticket.staff_thread_id = None  # a topic belongs to the chat it was made in
            ticket.staff_platform, ticket.staff_chat_id = chat.platform, chat.chat_id
            await enqueue(
                session, kind=TICKET_TO_STAFF, payload={"message_id": row.id},
                platform=chat.platform, chat_id=chat.chat_id, priority=TICKET_PRIORITY,
            )
            if first:  # a new wait for an answer begins
                await schedule_reminder(session, ticket, chat, self._reminder_minutes, now)
            await session.commit()
            logger.info("ticket %s: message %s queued for staff", ticket.id, row.id)
            return PersonResult(PersonOutcome.RELAYED, ticket.id, row.id, first)

        return await self._with_open_ticket(person_id, topic, None, store)

    async def close_by_person(self, person_id: int, ticket_id: int | None = None) -> int | None:
        """Close the person's open ticket (only `ticket_id`, when given); the staff chat is told.
        Returns the closed ticket's id, None when there was none to close."""
        async with self._sessions() as session:
            ticket = await TicketRepository(session).open_of(person_id)
            if ticket is None or (ticket_id is not None and ticket.id != ticket_id):
                return None
            ticket.closed_at, ticket.closed_by = utcnow(), "person"
            ticket.status = "resolved"
            if ticket.staff_chat_id is not None and ticket.staff_platform is not None:
                await enqueue(
                    session, kind=TICKET_STAFF_EVENT,
                    payload={"ticket_id": ticket.id, "event": CLOSED_BY_PERSON},
                    platform=ticket.staff_platform, chat_id=ticket.staff_chat_id,
                    priority=TICKET_PRIORITY,
                )
            await session.commit()
            logger.info("ticket %s closed by its person", ticket.id)
            return ticket.id

    async def rate(self, person_id: int, ticket_id: int, rating: int) -> bool:
        """A rating of a closed ticket, by its own person, once; False changes nothing."""
        if not 1 <= rating <= 5:
            return False
        async with self._sessions() as session:
            ticket = await TicketRepository(session).get(ticket_id)
            if (
                ticket is None or ticket.person_id != person_id or ticket.closed_at is None
                or ticket.rating is not None
            ):
                return False
            ticket.rating = rating
            await session.commit()
            return True

    async def comment(self, person_id: int, text: str) -> bool:
        """The optional comment after a rating: taken when the person has no open ticket and
        rated one closed in the last COMMENT_WINDOW, without a comment yet."""
        async with self._sessions() as session:
            repo = TicketRepository(session)
            if await repo.open_of(person_id) is not None:
                return False
            ticket = await repo.closed_since(person_id, utcnow() - COMMENT_WINDOW)
            if ticket is None or ticket.rating is None or ticket.rating_comment is not None:
                return False
            ticket.rating_comment = text[:2000]
            await session.commit()
            return True

    # -- the sender's reads and records -------------------------------------------------------

    async def relay_view(self, message_id: int) -> RelayView | None:
        async with self._sessions() as session:
            repo = TicketRepository(session)
            row = await repo.message(message_id)
            if row is None:
                return None
            ticket = await repo.get(row.ticket_id)
            assert ticket is not None
            person = await PersonRepository(session).get(ticket.person_id)
            return RelayView(
                message_id=row.id, ticket_id=ticket.id, direction=row.direction,
                person_name=person.full_name if person is not None else None,
                topic=ticket.topic, province=ticket.province, kind=row.kind, text=row.text,
                file_platform=row.file_platform, file_id=row.file_id, file_name=row.file_name,
                about=await about_of(session, ticket.context), author=row.author,
                relayed_message_id=row.relayed_message_id,
            )

    async def relayed(
        self, message_id: int, platform: str, chat_id: int, relayed_message_id: int
    ) -> None:
        """Record the id a message was given where it was relayed (staff replies are matched
        against it)."""
        async with self._sessions() as session:
            row = await TicketRepository(session).message(message_id)
            if row is None:
                return
            row.relayed_platform, row.relayed_chat_id = platform, chat_id
            row.relayed_message_id = relayed_message_id
            await session.commit()

    # -- helpers ------------------------------------------------------------------------------

    async def _with_open_ticket(
        self,
        person_id: int,
        topic: str,
        context: dict[str, Any] | None,
        then: Callable[[AsyncSession, Ticket, bool], Awaitable[T]],
    ) -> T:
        for attempt in range(_OPEN_ATTEMPTS):
            async with self._sessions() as session:
                repo = TicketRepository(session)
                reopened = False
                ticket = await repo.open_of(person_id)
                try:
                    if ticket is None:
                        ticket, reopened = await self._reopen_or_add(session, person_id, topic)
                    if context is not None:  # opened from a screen: its topic and context
                        ticket.topic, ticket.context = topic, dict(context)
                    return await then(session, ticket, reopened)
                except IntegrityError:
                    # The other request opened it first: use that one.
                    await session.rollback()
                    logger.info("person %s: a ticket opened at the same moment; reusing it",
                                person_id)
                    if attempt + 1 == _OPEN_ATTEMPTS:
                        raise
        raise AssertionError("unreachable")

    async def _reopen_or_add(
        self, session: AsyncSession, person_id: int, topic: str
    ) -> tuple[Ticket, bool]:
        repo = TicketRepository(session)
        recent = await repo.closed_since(person_id, utcnow() - self._reopen_after_close)
        if recent is not None:
            recent.closed_at = recent.closed_by = None
            recent.status = "open"
            recent.rating = recent.rating_comment = None  # rated again when closed again
            if recent.staff_thread_id is not None and recent.staff_chat_id is not None:
                # Its forum topic is opened again (and told) before the new message lands there.
                await enqueue(
                    session, kind=TICKET_STAFF_EVENT,
                    payload={"ticket_id": recent.id, "event": REOPENED},
                    platform=recent.staff_platform, chat_id=recent.staff_chat_id,
                    priority=TICKET_PRIORITY,
                )
            await session.flush()
            await webhook_events.ticket_opened(session, recent, reopened=True)
            logger.info("ticket %s reopened", recent.id)
            return recent, True
        person = await PersonRepository(session).get(person_id)
        ticket = await repo.add(Ticket(
            person_id=person_id, topic=topic, context={}, status="open",
            province=person.province if person is not None else None,
        ))
        await webhook_events.ticket_opened(session, ticket, reopened=False)
        logger.info("ticket %s opened for person %s", ticket.id, person_id)
        return ticket, False

