"""The administrator's progress message of a running broadcast, kept up to date in the
background, and one final report when it ends.

Who updates it: only the process whose outbox sender for the author's messenger holds that
bot's lease (OutboxSender.holds_lease). The lease already makes that process the one sender per
bot token, so the progress message is edited by exactly one worker, at the pace the senders keep
for one chat, and a worker that loses the lease stops editing with it. Broadcasts authored on a
messenger this process does not serve are left to the processes that do.

How: every BROADCAST_PROGRESS_SECONDS (never more often than OUTBOX_CHAT_INTERVAL_SECONDS, so the
progress message obeys the per-chat pace like any outbox message) the message is edited in place;
where the messenger's edits may not show in place (the profile's `edits_in_place`, Bale) a new
progress message is sent instead, every BROADCAST_PROGRESS_STEP_PERCENT. The time left is
estimated from the rate seen since the previous update. When nothing is left, `settle` marks the
broadcast done and the final report is sent. A cancelled broadcast gets its report from the
cancel press itself (bot/handlers/staff/broadcasts.py).

Messenger errors ("message is not modified", the message deleted, a 429) never end the loop: the
next round tries again. A crash between settling and the report loses that report; /broadcasts
still shows the counts."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.types import InlineKeyboardMarkup

from bot.i18n import pick_locale
from bot.keyboards.broadcasts import progress_keyboard
from bot.notifications.notifier import Notifier
from bot.notifications.sender import OutboxSender
from bot.platforms.profiles import profile_of
from bot.texts.broadcasts import percent_done, progress_text, report_text
from services.broadcasts import BroadcastProgress, BroadcastService
from services.outbox import as_utc

logger = logging.getLogger(__name__)
T = TypeVar("T")
# A broadcast without its progress message this long after the confirm lost it (the worker
# died between the two): the reporter sends one.
FIRST_MESSAGE_GRACE = 10.0


def _age_seconds(progress: BroadcastProgress) -> float:
    return (dt.datetime.now(dt.UTC) - as_utc(progress.created_at)).total_seconds()


@dataclass
class _Seen:
    handled: int
    at: float  # time.monotonic() of that count
    text: str  # what the progress message says now
    percent: int  # where the last progress message was sent (messengers without edits)


async def show_progress(
    bot: Bot, service: BroadcastService, progress: BroadcastProgress, text: str,
    keyboard: InlineKeyboardMarkup | None, *, new_message: bool,
) -> None:
    """Edit the progress message (or send a new one, which becomes the progress message).

    Raises TelegramAPIError only for what a caller may want to log; "not modified" is success."""
    message_id = progress.progress_message_id
    if not new_message and message_id is not None:
        try:
            await bot.edit_message_text(
                chat_id=progress.author_chat_id, message_id=message_id, text=text,
                reply_markup=keyboard,
            )
            return
        except TelegramBadRequest as error:
            if "not modified" in str(error).lower():
                return
            if "not found" not in str(error).lower():
                raise
            # Deleted by the administrator: a new one takes its place.
    sent = await bot.send_message(
        chat_id=progress.author_chat_id, text=text, reply_markup=keyboard
    )
    await service.set_progress_message(progress.id, sent.message_id)


class BroadcastProgressReporter:
    def __init__(
        self,
        *,
        service: BroadcastService,
        notifier: Notifier,
        senders: Mapping[str, OutboxSender],
        interval_seconds: float,
        step_percent: int,
    ) -> None:
        self.service = service
        self.notifier = notifier
        self.senders = senders
        self.interval = interval_seconds
        self.step = step_percent
        self._seen: dict[int, _Seen] = {}
        self._locales: dict[int, str] = {}

    async def run(self) -> None:
        while True:
            try:
                await self.tick()
            except Exception:  # a database hiccup must not end the loop for the process' life
                logger.exception("broadcast progress round failed; trying again")
            await asyncio.sleep(self.interval)

    async def tick(self) -> None:
        running = await self.service.running()
        for progress in running:
            sender = self.senders.get(progress.author_platform)
            if sender is None or not sender.holds_lease():
                continue
            try:
                await self._follow(sender.bot, progress)
            except TelegramAPIError as error:
                logger.info("broadcast %s progress not shown: %s", progress.id,
                            type(error).__name__)
        still = {p.id for p in running}
        for gone in [b for b in self._seen if b not in still]:
            self._seen.pop(gone, None)
            self._locales.pop(gone, None)

    async def _follow(self, bot: Bot, progress: BroadcastProgress) -> None:
        if progress.progress_message_id is None and _age_seconds(progress) < FIRST_MESSAGE_GRACE:
            return  # the confirm press is sending the first progress message right now
        if not progress.left:
            settled = await self.service.settle(progress.id)
            if settled is not None and settled.ended:
                await self._final(bot, settled)
                return
        now = time.monotonic()
        seen = self._seen.get(progress.id)
        seconds_left = None
        if seen is not None and now > seen.at and progress.handled > seen.handled:
            rate = (progress.handled - seen.handled) / (now - seen.at)
            seconds_left = progress.left / rate
        locale = await self._locale(progress)
        text = self._in(locale, lambda: progress_text(progress, seconds_left))
        if seen is not None and text == seen.text:
            return
        percent = percent_done(progress)
        in_place = profile_of(bot).edits_in_place
        if not in_place:
            # The confirm press sent the first message, at 0 %.
            shown = seen.percent if seen is not None else 0
            if percent < shown + self.step:
                self._seen[progress.id] = _Seen(
                    progress.handled, now, seen.text if seen else "", shown
                )
                return
        keyboard = self._in(locale, lambda: progress_keyboard(progress))
        await show_progress(bot, self.service, progress, text, keyboard, new_message=not in_place)
        self._seen[progress.id] = _Seen(progress.handled, now, text, percent)

    async def _final(self, bot: Bot, progress: BroadcastProgress) -> None:
        locale = await self._locale(progress)
        if profile_of(bot).edits_in_place and progress.progress_message_id is not None:
            # The bar at its end, without the buttons of a broadcast that no longer runs.
            with contextlib.suppress(TelegramAPIError):
                await show_progress(
                    bot, self.service, progress, self._in(locale, lambda: progress_text(progress)),
                    None, new_message=False,
                )
        await bot.send_message(
            chat_id=progress.author_chat_id, text=self._in(locale, lambda: report_text(progress))
        )
        self._seen.pop(progress.id, None)

    async def _locale(self, progress: BroadcastProgress) -> str:
        known = self._locales.get(progress.id)
        if known is not None:
            return known
        default = self.notifier.i18n.default_locale
        # The author's private chat id is their user id.
        account = await self.notifier.accounts.refresh(
            progress.author_platform, progress.author_chat_id
        )
        locale = (
            pick_locale(account.locale, account.language_code, default) if account else default
        )
        self._locales[progress.id] = locale
        return locale

    def _in(self, locale: str, make: Callable[[], T]) -> T:
        i18n = self.notifier.i18n
        with i18n.context(), i18n.use_locale(locale):
            return make()

