"""Staff commands on a ticket beyond answering it: /assign, /ban, /unban. Each finds the ticket
the way a reply does (the relayed message replied to, see TicketStaffSide._on_replied_ticket) and
is refused the same way (not a relayed message, another province, closed).

A ban keeps the person's messages and stops relaying them; who banned, when and why are kept
on the TicketBan row (there is no general audit table) and logged by ids."""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession

from services.staff import StaffMember, member_from_roles
from services.tickets.model import StaffOutcome, StaffResult
from services.tickets.rows import account_key
from services.tickets.staff_side import TicketStaffSide
from storage.models import Ticket, TicketBan, utcnow
from storage.repositories.staff import StaffRepository
from storage.repositories.tickets import TicketRepository

logger = logging.getLogger(__name__)


class TicketStaffTools(TicketStaffSide):
    async def assign(
        self, member: StaffMember, platform: str, chat_id: int, reply_to_message_id: int,
        assignee: tuple[str, int] | None = None,
    ) -> StaffResult:
        """Give the ticket to `assignee` (platform, user id), or to `member` when None. Another
        account must be a caseworker who may see the ticket's province."""

        async def give(session: AsyncSession, ticket: Ticket) -> StaffResult:
            if assignee is None:
                key = account_key(member.platform, member.user_id)
            else:
                roles = await StaffRepository(session).roles_of(*assignee)
                other = member_from_roles(assignee[0], assignee[1], roles)
                if other is None or not other.is_caseworker:
                    return StaffResult(StaffOutcome.NOT_A_CASEWORKER, ticket.id)
                if not other.can_see_province(ticket.province):
                    return StaffResult(StaffOutcome.ASSIGNEE_OUT_OF_SCOPE, ticket.id)
                key = account_key(*assignee)
            ticket.assignee = key
            await session.commit()
            logger.info("ticket %s assigned to %s by %s:%s", ticket.id, key, member.platform,
                        member.user_id)
            return StaffResult(StaffOutcome.ASSIGNED, ticket.id, key)

        return await self._on_replied_ticket(member, platform, chat_id, reply_to_message_id, give)

    async def ban(
        self, member: StaffMember, platform: str, chat_id: int, reply_to_message_id: int,
        reason: str,
    ) -> StaffResult:
        """The ticket's person: messages kept, not relayed; told once (at their next message)."""
        reason = reason.strip()
        if not reason:
            raise ValueError("a ban needs its reason")

        async def ban(session: AsyncSession, ticket: Ticket) -> StaffResult:
            repo = TicketRepository(session)
            by = f"{member.platform}:{member.user_id}"
            row = await repo.ban_of(ticket.person_id)
            if row is None:
                await repo.add_ban(TicketBan(
                    person_id=ticket.person_id, reason=reason[:2000], banned_by=by,
                    banned_at=utcnow(),
                ))
            else:  # banned again: the newer reason and banner count
                row.reason, row.banned_by, row.banned_at = reason[:2000], by, utcnow()
            await session.commit()
            logger.info("person %s banned from tickets by %s (ticket %s)", ticket.person_id, by,
                        ticket.id)
            return StaffResult(StaffOutcome.BANNED, ticket.id)

        return await self._on_replied_ticket(member, platform, chat_id, reply_to_message_id, ban)

    async def unban(
        self, member: StaffMember, platform: str, chat_id: int, reply_to_message_id: int
    ) -> StaffResult:
        async def unban(session: AsyncSession, ticket: Ticket) -> StaffResult:
            repo = TicketRepository(session)
            row = await repo.ban_of(ticket.person_id)
            if row is None:
                return StaffResult(StaffOutcome.NOT_BANNED, ticket.id)
            await repo.remove_ban(row)
            await session.commit()
            logger.info("person %s unbanned from tickets by %s:%s (ticket %s)", ticket.person_id,
                        member.platform, member.user_id, ticket.id)
            return StaffResult(StaffOutcome.UNBANNED, ticket.id)

        return await self._on_replied_ticket(member, platform, chat_id, reply_to_message_id, unban)
