"""What one outbox row becomes on a messenger: the words (or a caption), an optional photo or
document, and optional buttons; the words and buttons are built in each recipient's language."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal

from aiogram import Bot
from aiogram.types import BufferedInputFile, InlineKeyboardMarkup, Message

from bot.notifications.notifier import Render


@dataclass(frozen=True, slots=True)
class Media:
    kind: Literal["photo", "document"]
    # One key per file (e.g. per broadcast): after the first upload on a bot, the file id that
    # bot returned is sent instead of the bytes.
    key: str
    filename: str
    load: Callable[[], Awaitable[bytes]]


@dataclass(frozen=True, slots=True)
class Outgoing:
    render: Render
    media: Media | None = None
    keyboard: Callable[[], InlineKeyboardMarkup] | None = None


class OutgoingSender:
    """Sends Outgoings on one bot: text alone, or a photo or document with the text as caption.
    A file's bytes are uploaded once; then the file id this bot gave back is sent (per key)."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self._file_ids: dict[str, str] = {}
        self._uploads: dict[str, asyncio.Lock] = {}

    async def send(
        self, outgoing: Outgoing, chat_id: int, text: str, markup: InlineKeyboardMarkup | None
    ) -> None:
        media = outgoing.media
        if media is None:
            await self.bot.send_message(chat_id=chat_id, text=text, reply_markup=markup)
            return
        file_id = self._file_ids.get(media.key)
        if file_id is None:
            # Concurrent sends of a new file wait for its first upload instead of each uploading.
            async with self._uploads.setdefault(media.key, asyncio.Lock()):
                file_id = self._file_ids.get(media.key)
                if file_id is None:
                    upload = BufferedInputFile(await media.load(), filename=media.filename)
                    message = await self._send_media(media.kind, chat_id, upload, text, markup)
                    self._file_ids[media.key] = _file_id_of(message, media.kind)
                    self._uploads.pop(media.key, None)
                    return
        await self._send_media(media.kind, chat_id, file_id, text, markup)

    async def _send_media(
        self,
        kind: Literal["photo", "document"],
        chat_id: int,
        file: str | BufferedInputFile,
        caption: str,
        markup: InlineKeyboardMarkup | None,
    ) -> Message:
        if kind == "photo":
            return await self.bot.send_photo(
                chat_id=chat_id, photo=file, caption=caption or None, reply_markup=markup
            )
        return await self.bot.send_document(
            chat_id=chat_id, document=file, caption=caption or None, reply_markup=markup
        )


def _file_id_of(message: Message, kind: Literal["photo", "document"]) -> str:
    if kind == "photo" and message.photo:
        return message.photo[-1].file_id
    if kind == "document" and message.document:
        return message.document.file_id
    raise ValueError(f"the {kind} sent came back without a file id")
