"""A messenger message as the ticket service takes it: text, photo, document or voice (with its
caption); anything else (a sticker, a video, a location…) is None: the handler says what can
be sent."""

from __future__ import annotations

from functools import partial

from aiogram.types import Message

from services.tickets import Incoming


def incoming_of(message: Message, platform: str, *, text: str | None = None) -> Incoming | None:
    """`text`: the words to keep instead of the message's own (e.g. a command's argument)."""
    make = partial(
        Incoming, source_platform=platform, source_chat_id=message.chat.id,
        source_message_id=message.message_id, media_group_id=message.media_group_id,
    )
    caption = text if text is not None else message.caption
    if message.photo:
        return make(kind="photo", text=caption, file_id=message.photo[-1].file_id)
    if message.document:
        return make(kind="document", text=caption, file_id=message.document.file_id,
                    file_name=message.document.file_name)
    if message.voice:
        return make(kind="voice", text=caption, file_id=message.voice.file_id)
    words = text if text is not None else message.text
    if words:
        return make(kind="text", text=words)
    return None
