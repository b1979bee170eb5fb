"""Identity conflicts as tickets. When a registration collides with another person's national
code, a ticket (topic "identity", context {"conflict_id"}) is opened for the registering person
in the registration's own transaction, its first message a system line for the staff chat; so
«a caseworker has been told» is true, and the person can write there.

A caseworker resolves it by replying to that ticket's messages: /link (admins only: it merges
identities) joins the account to the existing person — as the registration does when both the
national code and a verified phone match — or /keepapart leaves them separate. Either way the
conflict is marked resolved with the reason and who, the ticket closes, and the person is told."""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.outbox import enqueue
from services.staff import StaffMember
from services.staff_alerts import StaffChats
from services.staff_chats import route
from services.tickets.model import TICKET_PRIORITY, TICKET_TO_STAFF
from services.webhooks import emitters as webhook_events
from storage.models import IdentityConflict, MessengerAccount, Ticket, TicketMessage, utcnow
from storage.repositories.persons import PersonRepository
from storage.repositories.tickets import TicketRepository

logger = logging.getLogger(__name__)

# The author of a ticket's system line (worded by the bot at send time, never typed by anyone).
SYSTEM_AUTHOR = "system"
# Outbox kind, to the conflict's person: {"ticket_id", "outcome" (an IdentityOutcome value),
# "platform" (the registering account's: rows for other messengers are skipped)}.
TICKET_IDENTITY_OUTCOME = "ticket_identity_outcome"
REASON_MAX_CHARS = 500


class IdentityOutcome(enum.StrEnum):
    LINKED = "linked"
    KEPT_APART = "kept_apart"
    NOT_ADMIN = "not_admin"  # /link merges identities: administrators only
    NOT_IDENTITY = "not_identity"  # the replied message is no identity ticket's
    OUT_OF_SCOPE = "out_of_scope"
    ALREADY_RESOLVED = "already_resolved"
    NO_OTHER_PERSON = "no_other_person"  # the existing person was deleted meanwhile


@dataclass(frozen=True, slots=True)
class IdentityResult:
    outcome: IdentityOutcome
    ticket_id: int | None = None
    conflict_id: int | None = None


async def open_conflict_ticket(
    session: AsyncSession, staff_chats: StaffChats, *, person_id: int, account_id: int,
    province: str | None, conflict_id: int,
) -> int:
    """In the caller's transaction (no commit): the person's open ticket becomes (or a new one
    is) the conflict's, and its system line is queued for the staff chat. Returns its id."""
    repo = TicketRepository(session)
    context = {"conflict_id": conflict_id}
    ticket = await repo.open_of(person_id)
    if ticket is None:
        ticket = await repo.add(Ticket(
            person_id=person_id, topic="identity", context=context, status="open",
            province=province,
        ))
        await webhook_events.ticket_opened(session, ticket, reopened=False)
    else:
        ticket.topic, ticket.context = "identity", context
    row = await repo.add_message(TicketMessage(
        ticket_id=ticket.id, direction="in", author=SYSTEM_AUTHOR, kind="text", text=None,
    ))
    account = await session.get(MessengerAccount, account_id)
    platform = account.platform if account is not None else "telegram"
    where = await route(session, staff_chats, ticket.province, platform)
    if where is not None:
        ticket.staff_platform, ticket.staff_chat_id = where
        await enqueue(
            session, kind=TICKET_TO_STAFF, payload={"message_id": row.id},
            platform=where[0], chat_id=where[1], priority=TICKET_PRIORITY,
        )
    logger.info("conflict %s: ticket %s opened for person %s", conflict_id, ticket.id, person_id)
    return ticket.id


class IdentityResolver:
    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = session_factory

    async def resolve(
        self, member: StaffMember, platform: str, chat_id: int, reply_to_message_id: int, *,
        link: bool, reason: str,
    ) -> IdentityResult:
        if link and not member.is_admin:
            return IdentityResult(IdentityOutcome.NOT_ADMIN)
        async with self._sessions() as session:
            repo = TicketRepository(session)
            replied = await repo.by_relayed(platform, chat_id, reply_to_message_id)
            ticket = await repo.get(replied.ticket_id) if replied is not None else None
            conflict_id = (ticket.context or {}).get("conflict_id") if ticket else None
            if ticket is None or ticket.topic != "identity" or not isinstance(conflict_id, int):
                return IdentityResult(IdentityOutcome.NOT_IDENTITY)
            if not member.can_see_province(ticket.province):
                return IdentityResult(IdentityOutcome.OUT_OF_SCOPE, ticket.id, conflict_id)
            conflict = await session.get(IdentityConflict, conflict_id)
            if conflict is None or conflict.resolved_at is not None:
                return IdentityResult(IdentityOutcome.ALREADY_RESOLVED, ticket.id, conflict_id)
            account = await session.get(MessengerAccount, conflict.account_id)
            if link and (conflict.existing_person_id is None or account is None):
                return IdentityResult(IdentityOutcome.NO_OTHER_PERSON, ticket.id, conflict_id)
            who = f"{platform}:{member.user_id}"
            now = utcnow()
            ticket.closed_at, ticket.closed_by, ticket.status = now, who, "resolved"
            conflict.resolved_at, conflict.resolved_by = now, who
            conflict.resolution = "linked" if link else "kept_apart"
            conflict.resolution_reason = reason[:REASON_MAX_CHARS]
            await session.flush()  # closed first: the other person may have an open ticket
            if link:
                assert account is not None and conflict.existing_person_id is not None
                await _link(session, account.person_id, conflict.existing_person_id)
            outcome = IdentityOutcome.LINKED if link else IdentityOutcome.KEPT_APART
            if account is not None:
                # To the person (in their language); only the registering messenger's row is
                # sent, the other accounts of a linked person heard nothing of it.
                await enqueue(
                    session, kind=TICKET_IDENTITY_OUTCOME,
                    payload={"ticket_id": ticket.id, "outcome": outcome.value,
                             "platform": account.platform},
                    person_id=account.person_id, priority=TICKET_PRIORITY,
                )
            await session.commit()
            logger.info(
                "conflict %s (ticket %s, account %s): %s by %s", conflict.id, ticket.id,
                conflict.account_id, outcome.value, who,
            )
            return IdentityResult(outcome, ticket.id, conflict.id)


async def _link(session: AsyncSession, from_person_id: int, to_person_id: int) -> None:
    """What the registration does for the same human on a second messenger: the accounts move
    to the existing person; so do the tickets (the conflict's history stays readable), and an
    unregistered shell left behind is deleted."""
    persons = PersonRepository(session)
    me = await persons.get(from_person_id)
    await persons.move_accounts(from_person_id, to_person_id)
    await session.execute(
        update(Ticket).where(Ticket.person_id == from_person_id)
        .values(person_id=to_person_id).execution_options(synchronize_session="fetch")
    )
    if me is not None and not me.is_registered:
        await persons.delete(me)
