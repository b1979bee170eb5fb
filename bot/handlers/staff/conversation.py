"""The caseworker's typed first message after «💬 Message the applicant» on a card: a ticket
is opened with that person and the words sent to them (services/tickets/staff_open.py)."""

from __future__ import annotations

from typing import Any

from aiogram.types import Message
from aiogram.utils.i18n import gettext

from bot.platforms.bots import platform_of
from services.container import Services
from services.text import localize_digits
from services.tickets import StaffOutcome


async def message_applicant(message: Message, app_id: int, text: str, data: dict[str, Any]) -> None:
    services: Services = data["services"]
    result = await services.staff_opened_tickets.message_applicant(
        data["staff"], platform_of(data["bot"]), app_id, text
    )
    if result.outcome is StaffOutcome.RELAYED:
        data["notifier"].queued()
        await message.answer(gettext(
            "✅ Sent to the applicant (conversation #{number}). Their answers come to the "
            "staff chat (🎫)."
        ).format(number=localize_digits(str(result.ticket_id), None)))
    elif result.outcome is StaffOutcome.OUT_OF_SCOPE:
        await message.answer(gettext(
            "This beneficiary is not in your provinces; another caseworker will answer."
        ))
    else:
        await message.answer(gettext("This application no longer exists."))
