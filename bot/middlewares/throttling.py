"""Anti-flood: past the allowed rate, one polite notice per burst, and the rest is dropped.

An album (photos or files sent together, one media_group_id) arrives as one update per item:
it counts once, and its items share the first one's fate, so an album is never cut in two."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.types import CallbackQuery, Message, TelegramObject, Update, User
from aiogram.utils.i18n import gettext


@dataclass(slots=True)
class _Window:
    started: float
    count: int
    warned: bool
    # media_group_id -> whether that album's first item was let through
    albums: dict[str, bool] = field(default_factory=dict)


class ThrottlingMiddleware(BaseMiddleware):
    """Fixed window per (bot, user), in process memory: cheap on the hot path.

    Several workers each count their own share, which only makes the limit looser."""

    def __init__(self, rate: int, window_seconds: float, max_users: int = 100_000) -> None:
        self.rate = rate
        self.window = window_seconds
        self.max_users = max_users
        self._windows: dict[tuple[int, int], _Window] = {}

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        user: User | None = data.get("event_from_user")
        if user is None:
            return await handler(event, data)
        bot: Bot = data["bot"]
        now = time.monotonic()
        key = (bot.id, user.id)
        album = _album_of(event)
        window = self._windows.get(key)
        if window is None or now - window.started >= self.window:
            if len(self._windows) >= self.max_users:
                self._forget_old(now)
            window = self._windows[key] = _Window(now, 1, False)
            if album is not None:
                window.albums[album] = True
            return await handler(event, data)
        if album is not None and album in window.albums:
            if window.albums[album]:
                return await handler(event, data)
            return None
        window.count += 1
        if album is not None:
            window.albums[album] = window.count <= self.rate
        if window.count <= self.rate:
            return await handler(event, data)
        if not window.warned:
            window.warned = True
            await self._notify(event, bot)
        elif isinstance(event, Update) and event.callback_query is not None:
            await _answer_quietly(event.callback_query)
        return None

    def _forget_old(self, now: float) -> None:
        for key in [k for k, w in self._windows.items() if now - w.started >= self.window]:
            del self._windows[key]

    async def _notify(self, event: TelegramObject, bot: Bot) -> None:
        text = gettext("You are sending messages very fast. Please wait a moment, then go on.")
        update = event if isinstance(event, Update) else None
        if update is not None and update.callback_query is not None:
            await update.callback_query.answer(text)
        elif update is not None and isinstance(update.message, Message):
            await bot.send_message(update.message.chat.id, text)


def _album_of(event: TelegramObject) -> str | None:
    message = event.message if isinstance(event, Update) else event
    return message.media_group_id if isinstance(message, Message) else None


async def _answer_quietly(callback: CallbackQuery) -> None:
    # Unanswered callbacks leave a spinner on the button; answer even when dropping.
    await callback.answer()
