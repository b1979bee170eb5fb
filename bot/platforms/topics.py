"""Forum topics for staff chats: one topic per hand-off where the messenger and the chat allow it.

Telegram supergroups with topics turned on get a topic; Bale (no topics, see the profile) and
plain groups get None, and the caller posts into the chat itself."""

from __future__ import annotations

import logging
import unicodedata

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError

from bot.platforms.profiles import profile_of

logger = logging.getLogger(__name__)

# Telegram's limit on a topic name, counted in UTF-16 code units as Telegram counts text.
MAX_TOPIC_NAME = 128
_ELLIPSIS = "…"
_OPENING_ISOLATES = ("\u2066", "\u2067", "\u2068")
_CLOSING_ISOLATE = "\u2069"
# Nothing a name may end with after a cut: spaces, ZWNJ/ZWJ, a dash, an opened isolate.
_TRAILING_JUNK = " \u200c\u200d-–—،,:" + "".join(_OPENING_ISOLATES)


async def open_topic(bot: Bot, chat_id: int, name: str) -> int | None:
    """The message_thread_id of a new topic named `name` in `chat_id`, or None where topics are
    not to be had (the messenger, a plain group, or a refusal, which is logged)."""
    if not profile_of(bot).supports_topics:
        return None
    try:
        chat = await bot.get_chat(chat_id)
        if not chat.is_forum:
            return None
        topic = await bot.create_forum_topic(chat_id, topic_name(name))
    except TelegramAPIError as error:
        # Most often the bot lacks the "manage topics" right: the chat itself still works.
        logger.warning("no forum topic in chat %s: %s", chat_id, error.message)
        return None
    return topic.message_thread_id


async def close_topic(bot: Bot, chat_id: int, thread_id: int) -> bool:
    """Close a topic; False (logged) where the bot may not: what it closes is closed anyway."""
    try:
        await bot.close_forum_topic(chat_id, thread_id)
    except TelegramAPIError as error:
        logger.info("topic %s in chat %s not closed: %s", thread_id, chat_id, error.message)
        return False
    return True


def topic_name(name: str) -> str:
    """`name` on one line, cut to Telegram's limit without splitting a character, leaving a ZWNJ
    or space at the end, or leaving a direction isolate open."""
    flat = " ".join(name.split()) or _ELLIPSIS
    if _utf16_len(flat) <= MAX_TOPIC_NAME:
        return flat
    budget = MAX_TOPIC_NAME - _utf16_len(_ELLIPSIS)
    while True:
        cut = _cut_utf16(flat, budget).rstrip(_TRAILING_JUNK)
        # A combining mark cut from its letter would sit on the ellipsis.
        while cut and unicodedata.combining(cut[-1]):
            cut = cut[:-1]
        closing = _CLOSING_ISOLATE * _open_isolates(cut)
        result = cut + _ELLIPSIS + closing
        if _utf16_len(result) <= MAX_TOPIC_NAME:
            return result
        budget -= 1


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _cut_utf16(text: str, units: int) -> str:
    used = 0
    for index, char in enumerate(text):
        used += 2 if ord(char) > 0xFFFF else 1
        if used > units:
            return text[:index]
    return text


def _open_isolates(text: str) -> int:
    depth = 0
    for char in text:
        if char in _OPENING_ISOLATES:
            depth += 1
        elif char == _CLOSING_ISOLATE and depth:
            depth -= 1
    return depth
