"""Hand-off tickets and their messages: queries and additions only (the service commits)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Ticket, TicketBan, TicketMessage


class TicketRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, ticket_id: int) -> Ticket | None:
        return await self.session.get(Ticket, ticket_id)

    async def open_of(self, person_id: int) -> Ticket | None:
        return await self.session.scalar(
            select(Ticket).where(Ticket.person_id == person_id, Ticket.closed_at.is_(None))
        )

    async def closed_since(self, person_id: int, since: dt.datetime) -> Ticket | None:
        """The person's most recently closed ticket, if it was closed at or after `since`."""
        return await self.session.scalar(
            select(Ticket)
            .where(Ticket.person_id == person_id, Ticket.closed_at >= since)
            .order_by(Ticket.closed_at.desc(), Ticket.id.desc())
            .limit(1)
        )

    async def add(self, ticket: Ticket) -> Ticket:
        self.session.add(ticket)
        await self.session.flush()
        return ticket

    async def add_message(self, message: TicketMessage) -> TicketMessage:
        self.session.add(message)
        await self.session.flush()
        return message

    async def message(self, message_id: int) -> TicketMessage | None:
        return await self.session.get(TicketMessage, message_id)

    async def by_relayed(
        self, platform: str, chat_id: int, relayed_message_id: int
    ) -> TicketMessage | None:
        return await self.session.scalar(
            select(TicketMessage)
            .where(
                TicketMessage.relayed_platform == platform,
                TicketMessage.relayed_chat_id == chat_id,
                TicketMessage.relayed_message_id == relayed_message_id,
            )
            .limit(1)
        )

    async def messages(self, ticket_id: int) -> list[TicketMessage]:
        rows = await self.session.scalars(
            select(TicketMessage)
            .where(TicketMessage.ticket_id == ticket_id)
            .order_by(TicketMessage.id)
        )
        return list(rows)

    async def ban_of(self, person_id: int) -> TicketBan | None:
        return await self.session.get(TicketBan, person_id)

    async def add_ban(self, ban: TicketBan) -> TicketBan:
        self.session.add(ban)
        await self.session.flush()
        return ban

    async def remove_ban(self, ban: TicketBan) -> None:
        await self.session.delete(ban)
        await self.session.flush()

    async def has_system_line(self, ticket_id: int, line: str) -> bool:
        """Whether the service already wrote `line` (an event key) into the ticket."""
        found = await self.session.scalar(
            select(TicketMessage.id)
            .where(
                TicketMessage.ticket_id == ticket_id,
                TicketMessage.direction == "system",
                TicketMessage.text == line,
            )
            .limit(1)
        )
        return found is not None
