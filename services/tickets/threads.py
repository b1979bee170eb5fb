"""Forum topics and the caseworker's reads of a ticket: where its topic is, who the person is
(the profile card) and what was said (the history).

A ticket's topic lives in its staff chat; it is stored once (`claim_thread`: the first topic
made wins, a second is logged and left unused) and forgotten when the ticket moves to another
staff chat. A mixin of TicketService (its session factory)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.applications.results import Applicant
from services.applications.views import applicant_of
from storage.repositories.applications import ApplicationRepository
from storage.repositories.persons import PersonRepository
from storage.repositories.ticket_threads import claim_thread, ticket_in_thread
from storage.repositories.tickets import TicketRepository

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class TicketPlace:
    """Where a ticket lives among the staff, and the words its topic is named with."""

    ticket_id: int
    person_name: str | None
    staff_platform: str | None
    staff_chat_id: int | None
    thread_id: int | None
    closed: bool


@dataclass(frozen=True, slots=True)
class ApplicationLine:
    id: int
    program_id: str
    status: str
    tracking_code: str | None
    course_code: str | None


@dataclass(frozen=True, slots=True)
class TicketProfile:
    """The profile card: the person (personal data, for staff only), their applications and
    what opened the ticket."""

    ticket_id: int
    applicant: Applicant | None
    applications: tuple[ApplicationLine, ...]
    topic: str
    context: dict[str, Any]
    province: str | None


@dataclass(frozen=True, slots=True)
class HistoryLine:
    direction: str  # in | out | note | system
    author: str | None
    kind: str
    text: str | None
    at: dt.datetime


class TicketThreads:
    _sessions: async_sessionmaker[AsyncSession]

    async def ticket_place(self, ticket_id: int) -> TicketPlace | None:
        async with self._sessions() as session:
            ticket = await TicketRepository(session).get(ticket_id)
            if ticket is None:
                return None
            person = await PersonRepository(session).get(ticket.person_id)
            return TicketPlace(
                ticket_id=ticket.id,
                person_name=person.full_name if person is not None else None,
                staff_platform=ticket.staff_platform, staff_chat_id=ticket.staff_chat_id,
                thread_id=ticket.staff_thread_id, closed=ticket.closed_at is not None,
            )

    async def claim_thread(
        self, ticket_id: int, platform: str, chat_id: int, thread_id: int
    ) -> int | None:
        """Store `thread_id` as the ticket's topic unless it has one; returns the ticket's
        topic afterwards (another one when a second topic was made at the same moment)."""
        async with self._sessions() as session:
            won = await claim_thread(session, ticket_id, platform, chat_id, thread_id)
            await session.commit()
            if won:
                logger.info("ticket %s: forum topic %s in chat %s", ticket_id, thread_id, chat_id)
                return thread_id
            ticket = await TicketRepository(session).get(ticket_id)
            kept = ticket.staff_thread_id if ticket is not None else None
            logger.warning("ticket %s: topic %s made twice; %s kept", ticket_id, thread_id, kept)
            return kept

    async def ticket_of_thread(self, platform: str, chat_id: int, thread_id: int) -> int | None:
        async with self._sessions() as session:
            ticket = await ticket_in_thread(session, platform, chat_id, thread_id)
            return ticket.id if ticket is not None else None

    async def profile(self, ticket_id: int) -> TicketProfile | None:
        async with self._sessions() as session:
            ticket = await TicketRepository(session).get(ticket_id)
            if ticket is None:
                return None
            person = await PersonRepository(session).get(ticket.person_id)
            apps = await ApplicationRepository(session).of_person(ticket.person_id)
            return TicketProfile(
                ticket_id=ticket.id,
                applicant=applicant_of(person) if person is not None else None,
                applications=tuple(
                    ApplicationLine(a.id, a.program, a.status, a.tracking_code, a.course_code)
                    for a in apps if a.status != "draft"
                ),
                topic=ticket.topic, context=dict(ticket.context or {}), province=ticket.province,
            )

    async def history(self, ticket_id: int) -> list[HistoryLine]:
        async with self._sessions() as session:
            rows = await TicketRepository(session).messages(ticket_id)
            return [
                HistoryLine(r.direction, r.author, r.kind, r.text, r.created_at) for r in rows
            ]
