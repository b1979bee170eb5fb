"""Anti-flood: past the allowed rate, one polite notice per burst, and the rest is dropped."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.types import CallbackQuery, Message, TelegramObject, Update, User
from aiogram.utils.i18n import gettext


@dataclass(slots=True)
class _Window:
    started: float
    count: int
    warned: bool


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
        window = self._windows.get(key)
        if window is None or now - window.started >= self.window:
            if len(self._windows) >= self.max_users:
                self._forget_old(now)
            self._windows[key] = _Window(now, 1, False)
            return await handler(event, data)
        window.count += 1
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


async def _answer_quietly(callback: CallbackQuery) -> None:
    # Unanswered callbacks leave a spinner on the button; answer even when dropping.
    await callback.answer()
