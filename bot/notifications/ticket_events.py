"""Ticket rows that are not a relayed message: the unanswered-ticket reminder to the staff chat
(worded only if the wait is still unanswered, else nothing is sent) and the notice to a person
that the caseworkers cannot be reached (their staff chat refused the relay)."""

from __future__ import annotations

from aiogram.utils.i18n import gettext

from bot.i18n import current_locale
from bot.notifications.outgoing import Outgoing
from bot.notifications.sender import Wording
from services.outbox import OutboxItem
from services.text import localize_digits
from services.tickets import TicketService
from services.tickets.model import STAFF_UNREACHABLE, TICKET_PERSON_NOTICE, TICKET_REMINDER


def ticket_event_wordings(tickets: TicketService, reminder_minutes: int) -> dict[str, Wording]:
    async def reminder(item: OutboxItem) -> Outgoing | None:
        ticket_id = int(item.payload["ticket_id"])
        if not await tickets.reminder_due(ticket_id, str(item.payload["since"])):
            return None

        def render() -> str:
            locale = current_locale()
            return gettext(
                "⏰ Conversation #{number} has had no answer for {minutes} minutes."
            ).format(
                number=localize_digits(str(ticket_id), locale),
                minutes=localize_digits(str(reminder_minutes), locale),
            )

        return Outgoing(render=render)

    async def person_notice(item: OutboxItem) -> Outgoing | None:
        if item.payload.get("event") != STAFF_UNREACHABLE:
            raise LookupError(f"no words for ticket notice {item.payload.get('event')!r}")
        return Outgoing(render=lambda: gettext(
            "Your message is saved, but the caseworkers are busy right now. "
            "Please try again later."
        ))

    return {TICKET_REMINDER: reminder, TICKET_PERSON_NOTICE: person_notice}
