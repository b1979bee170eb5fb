"""Telling a person something outside their own conversation (e.g. a caseworker's decision).

A person may use Telegram and Bale: the message goes to every private chat of theirs that has not
blocked the bot, each in the person's language. Delivery problems never undo what caused the
message: a 403 is recorded by BlockedChatMiddleware (on the bot's session) and counted here; other
failures are logged (without the text, which may carry personal details) and counted.

The bots are those of the running app: `bots` is the same dict object that `Maharatyar.bots`
holds, filled after the dispatcher is built, so it is read at send time, never copied."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar, cast

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramForbiddenError
from aiogram.utils.i18n import I18n

from bot.config import Platform
from bot.i18n import pick_locale
from services.accounts import AccountService

logger = logging.getLogger(__name__)

# Called inside the recipient's locale: plain `gettext` in it speaks their language.
Render = Callable[[], str]
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Delivery:
    sent: int = 0
    blocked: int = 0
    failed: int = 0

    @property
    def reached(self) -> bool:
        return self.sent > 0


class Notifier:
    def __init__(
        self, bots: Mapping[Platform, Bot], accounts: AccountService, i18n: I18n
    ) -> None:
        self.bots = bots
        self.accounts = accounts
        self.i18n = i18n
        self._on_queued: list[Callable[[], None]] = []

    def on_queued(self, wake: Callable[[], None]) -> None:
        """`wake` runs whenever this process has queued outbox rows (the senders' nudge)."""
        self._on_queued.append(wake)

    def queued(self) -> None:
        """Outbox rows were just committed: the running senders look now, not at their next
        poll."""
        for wake in self._on_queued:
            wake()

    async def send(self, person_id: int, render: Render) -> Delivery:
        sent = blocked = failed = 0
        for target in await self.accounts.delivery_targets(person_id):
            bot = self.bots.get(cast(Platform, target.platform))
            if bot is None:  # that messenger is not configured in this process
                continue
            locale = pick_locale(target.locale, target.language_code, self.i18n.default_locale)
            text = self.render(render, locale)
            try:
                await bot.send_message(chat_id=target.chat_id, text=text)
            except TelegramForbiddenError:
                blocked += 1
            except (TelegramAPIError, OSError, TimeoutError) as error:
                failed += 1
                logger.warning(
                    "notification to person %s on %s failed: %s",
                    person_id, target.platform, type(error).__name__,
                )
            else:
                sent += 1
        return Delivery(sent=sent, blocked=blocked, failed=failed)

    def render(self, render: Render, locale: str) -> str:
        return self.localized(render, locale)

    def localized(self, build: Callable[[], T], locale: str) -> T:
        """`build()` (words, a keyboard) in `locale`."""
        # The caller may be a handler speaking the staff member's language, or no handler at all.
        with self.i18n.context(), self.i18n.use_locale(locale):
            return build()
