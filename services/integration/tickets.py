"""Hand-off tickets for clients with tickets:read: pages (of the client's provinces) and one
ticket with every message (the beneficiary's, the caseworkers', their private notes and the
service's lines). Messages are personal: every read is audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.api_clients import ClientIdentity, write_audit
from services.integration.errors import IntegrationNotFound
from storage.models import Ticket, TicketMessage
from storage.repositories.api_reads import ApiReadRepository, TicketFilter

TICKET_STATUSES = ("open", "waiting", "resolved")


@dataclass(frozen=True, slots=True)
class TicketPage:
    items: list[tuple[Ticket, str | None]]  # the ticket and its person's name
    next_after: int | None


@dataclass(frozen=True, slots=True)
class TicketRecord:
    ticket: Ticket
    full_name: str | None
    messages: tuple[TicketMessage, ...]


class IntegrationTickets:
    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = session_factory

    async def page(
        self,
        client: ClientIdentity,
        *,
        status: str | None = None,
        province: str | None = None,
        updated_since: dt.datetime | None = None,
        after_id: int = 0,
        limit: int = 50,
    ) -> TicketPage:
        where = TicketFilter(
            status=status, province=province,
            updated_since=updated_since.astimezone(dt.UTC) if updated_since else None,
        )
        async with self._sessions() as session:
            rows = await ApiReadRepository(session).tickets_page(
                where, client.provinces, after_id, limit + 1
            )
            more = len(rows) > limit
            rows = rows[:limit]
            if rows:
                await write_audit(
                    session, client, "tickets.list",
                    f"ticket:{rows[0][0].id}..ticket:{rows[-1][0].id} ({len(rows)})",
                )
                await session.commit()
        return TicketPage(rows, rows[-1][0].id if more else None)

    async def record(self, client: ClientIdentity, ticket_id: int) -> TicketRecord:
        async with self._sessions() as session:
            repo = ApiReadRepository(session)
            found = await repo.ticket(ticket_id)
            if found is None or not client.can_see_province(found[0].province):
                raise IntegrationNotFound(f"ticket {ticket_id}")
            ticket, person = found
            messages = await repo.ticket_messages(ticket.id)
            await write_audit(session, client, "ticket.read", f"ticket:{ticket.id}")
            await session.commit()
            return TicketRecord(ticket, person.full_name, tuple(messages))
