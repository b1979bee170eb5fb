"""Building blocks of the ticket services: how a staff account is written, and a message's row."""

from __future__ import annotations

from services.tickets.model import Incoming
from storage.models import TicketMessage


def account_key(platform: str, user_id: int) -> str:
    return f"{platform}:{user_id}"


def message_row(
    ticket_id: int, direction: str, message: Incoming, *, author: str | None = None
) -> TicketMessage:
    return TicketMessage(
        ticket_id=ticket_id, direction=direction, author=author, kind=message.kind,
        text=message.text, file_platform=message.source_platform if message.file_id else None,
        file_id=message.file_id, file_name=message.file_name,
        media_group_id=message.media_group_id, source_platform=message.source_platform,
        source_chat_id=message.source_chat_id, source_message_id=message.source_message_id,
    )

