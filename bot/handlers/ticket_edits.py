"""Edits of relayed messages, from either side: a person's edited message in their private
chat, a caseworker's edited reply in the staff chat. The service finds the ticket message by
where it came from and queues the edit for the copy (services/tickets/edits.py)."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.types import Message

from bot.notifications.notifier import Notifier
from bot.platforms.bots import platform_of
from services.tickets.edits import TicketEdits


def build_ticket_edits_router() -> Router:
    router = Router(name=__name__)
    router.edited_message.register(on_edited)
    return router


async def on_edited(
    message: Message, bot: Bot, ticket_edits: TicketEdits, notifier: Notifier
) -> None:
    words = message.text if message.text is not None else message.caption
    if await ticket_edits.edited(platform_of(bot), message.chat.id, message.message_id, words):
        notifier.queued()
