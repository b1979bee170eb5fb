"""What one outbox row becomes on a messenger: the words (or a caption), an optional photo,
document or voice message, optional buttons; the words and buttons are built in each
recipient's language. A relayed message may answer an earlier one (`reply_to`), go to a forum
topic (`thread_id`), and wants to know the id it was given (`on_sent`)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal

from aiogram import Bot
from aiogram.types import BufferedInputFile, InlineKeyboardMarkup, Message, ReplyParameters

from bot.notifications.notifier import Render
from bot.platforms.bots import platform_of

MediaKind = Literal["photo", "document", "voice"]


@dataclass(frozen=True, slots=True)
class Media:
    kind: MediaKind
    # One key per file (e.g. per broadcast): after the first upload on a bot, the file id that
    # bot returned is sent instead of the bytes.
    key: str
    filename: str
    load: Callable[[], Awaitable[bytes]]
    # A file id is valid on the bot that received the file only: on that messenger it is sent
    # as is; elsewhere the bytes are loaded and uploaded.
    file_id: str | None = None
    file_platform: str | None = None


@dataclass(frozen=True, slots=True)
class Outgoing:
    render: Render
    media: Media | None = None
    keyboard: Callable[[], InlineKeyboardMarkup] | None = None
    reply_to: int | None = None
    thread_id: int | None = None
    # Called with (chat id, message id) once the messenger has taken the message.
    on_sent: Callable[[int, int], Awaitable[None]] | None = None
    # Called when it reached nobody: "blocked" (403 from every chat), "nobody" (no chat to
    # try) or "refused" (another 4xx, e.g. 400 chat not found). Not for 429/5xx (retried).
    on_undelivered: Callable[[str], Awaitable[None]] | None = None
    # Edit this earlier message of the bot's in place (its caption when `media` is set)
    # instead of sending a new one; only for messengers whose edits show in place.
    edit_of: int | None = None


class OutgoingSender:
    """Sends Outgoings on one bot: text alone, or a file with the text as caption. A file's
    bytes are uploaded once; then the file id this bot gave back is sent (per key)."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self._file_ids: dict[str, str] = {}
        self._uploads: dict[str, asyncio.Lock] = {}

    async def send(
        self, outgoing: Outgoing, chat_id: int, text: str, markup: InlineKeyboardMarkup | None
    ) -> Message | None:
        extra: dict[str, Any] = {"reply_markup": markup}
        if outgoing.reply_to is not None:
            # A reply to a message deleted meanwhile still goes, without the quote.
            extra["reply_parameters"] = ReplyParameters(
                message_id=outgoing.reply_to, allow_sending_without_reply=True
            )
        if outgoing.thread_id is not None:
            extra["message_thread_id"] = outgoing.thread_id
        if outgoing.edit_of is not None:
            return await self._edit(outgoing, outgoing.edit_of, chat_id, text)
        message = await self._send(outgoing, chat_id, text, extra)
        if outgoing.on_sent is not None:
            await outgoing.on_sent(chat_id, message.message_id)
        return message

    async def _edit(
        self, outgoing: Outgoing, message_id: int, chat_id: int, text: str
    ) -> Message | None:
        if outgoing.media is not None:
            edited = await self.bot.edit_message_caption(
                chat_id=chat_id, message_id=message_id, caption=text
            )
        else:
            edited = await self.bot.edit_message_text(
                chat_id=chat_id, message_id=message_id, text=text
            )
        return edited if isinstance(edited, Message) else None

    async def _send(
        self, outgoing: Outgoing, chat_id: int, text: str, extra: dict[str, Any]
    ) -> Message:
        media = outgoing.media
        if media is None:
            return await self.bot.send_message(chat_id=chat_id, text=text, **extra)
        if media.file_id is not None and media.file_platform == platform_of(self.bot):
            return await self._send_media(media.kind, chat_id, media.file_id, text, extra)
        file_id = self._file_ids.get(media.key)
        if file_id is None:
            # Concurrent sends of a new file wait for its first upload instead of each uploading.
            async with self._uploads.setdefault(media.key, asyncio.Lock()):
                file_id = self._file_ids.get(media.key)
                if file_id is None:
                    upload = BufferedInputFile(await media.load(), filename=media.filename)
                    message = await self._send_media(media.kind, chat_id, upload, text, extra)
                    self._file_ids[media.key] = _file_id_of(message, media.kind)
                    self._uploads.pop(media.key, None)
                    return message
        return await self._send_media(media.kind, chat_id, file_id, text, extra)

    async def _send_media(
        self, kind: MediaKind, chat_id: int, file: str | BufferedInputFile, caption: str,
        extra: dict[str, Any],
    ) -> Message:
        if kind == "photo":
            return await self.bot.send_photo(
                chat_id=chat_id, photo=file, caption=caption or None, **extra
            )
        if kind == "voice":
            return await self.bot.send_voice(
                chat_id=chat_id, voice=file, caption=caption or None, **extra
            )
        return await self.bot.send_document(
            chat_id=chat_id, document=file, caption=caption or None, **extra
        )


def _file_id_of(message: Message, kind: MediaKind) -> str:
    if kind == "photo" and message.photo:
        return message.photo[-1].file_id
    if kind == "document" and message.document:
        return message.document.file_id
    if kind == "voice" and message.voice:
        return message.voice.file_id
    raise ValueError(f"the {kind} sent came back without a file id")
