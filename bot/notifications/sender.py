"""The outbox sender: one drain loop per bot token, sending the rows services/outbox.py wrote.

Only the holder of the token's lease (a row in outbox_leases, taken and renewed by a conditional
UPDATE) sends, so with several workers each token has one sender and the messenger's per-bot
limits hold; when the holder dies its lease runs out and another worker's loop takes over.

Per row: the person's unblocked private chats on this messenger are read at send time and each is
told in the person's language (Notifier.render). Pacing: a global rate per messenger, at most one
message per recipient per OUTBOX_CHAT_INTERVAL_SECONDS, and rows of one recipient in id order
(a later row waits while an earlier one is still pending, even in backoff). A 429 pauses this
loop only; 5xx and network errors retry with exponential backoff until OUTBOX_MAX_ATTEMPTS; a 403
is recorded by BlockedChatMiddleware on the bot's session and ends the row for that chat."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hashlib
import logging
import os
import socket
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import BufferedInputFile, InlineKeyboardMarkup, Message

from bot.i18n import pick_locale
from bot.notifications.notifier import Notifier, Render
from bot.notifications.outgoing import Media, Outgoing
from services.accounts import DeliveryTarget
from services.outbox import OutboxItem, OutboxService

logger = logging.getLogger(__name__)

# What a row of a kind says: a Render (called in the recipient's locale) or an Outgoing (a text
# or caption, a file, buttons), or None for "nothing to say any more" (the row is then done).
Wording = Callable[[OutboxItem], Awaitable[Render | Outgoing | None]]
PENDING_WINDOW = 200


@dataclass(frozen=True, slots=True)
class Pacing:
    rate_per_second: float
    chat_interval_seconds: float
    poll_seconds: float
    max_attempts: int
    backoff_seconds: float
    lease_seconds: float


def token_hash(token: str) -> str:
    # The lease names the token without storing it.
    return hashlib.sha256(token.encode()).hexdigest()


def new_holder_id() -> str:
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


class OutboxSender:
    def __init__(
        self,
        *,
        platform: str,
        bot: Bot,
        outbox: OutboxService,
        notifier: Notifier,
        wordings: dict[str, Wording],
        pacing: Pacing,
        holder: str | None = None,
    ) -> None:
        self.platform = platform
        self.bot = bot
        self.outbox = outbox
        self.notifier = notifier
        self.wordings = wordings
        self.pacing = pacing
        self.holder = holder or new_holder_id()
        self.lease = token_hash(bot.token)
        self.wake = asyncio.Event()
        self._lease_renewed = float("-inf")
        self._next_slot = 0.0
        self._last_sent: dict[tuple[str, int], float] = {}
        self._retry_in: float | None = None  # seconds until a skipped recipient is free again
        # Media key -> the file id this bot gave it: uploaded once, then sent by id.
        self._file_ids: dict[str, str] = {}

    def holds_lease(self) -> bool:
        """This loop renewed its token's lease recently enough that no other worker can have
        taken it (the loop renews it every third of its length while it runs)."""
        return time.monotonic() - self._lease_renewed < self.pacing.lease_seconds

    async def run(self) -> None:
        try:
            while True:
                try:
                    handled = await self.drain_once()
                except Exception:  # a database hiccup must not end the loop for the process' life
                    logger.exception("outbox sender on %s failed; trying again", self.platform)
                    handled = False
                if not handled:
                    await self._idle()
        finally:
            with contextlib.suppress(Exception):
                await self.outbox.release_lease(self.lease, self.holder)

    async def drain_once(self) -> bool:
        """One pass over the pending rows; True if any row was handled (sent, failed, done)."""
        self._retry_in = None
        if not await self._hold_lease():
            return False
        handled = False
        seen: set[tuple[str, int]] = set()
        now = dt.datetime.now(dt.UTC)
        for item in await self.outbox.pending(self.platform, PENDING_WINDOW):
            recipient = item.recipient
            if recipient in seen:  # an earlier row of this recipient is still pending
                continue
            seen.add(recipient)
            if not item.is_due(now) or not self._chat_free(recipient):
                continue
            if not await self._hold_lease():
                return handled
            if await self._deliver(item):
                handled = True
        return handled

    async def _deliver(self, item: OutboxItem) -> bool:
        """Send one row; False if a 429 left it pending for the next pass."""
        try:
            wording = self.wordings.get(item.kind)
            if wording is None:
                raise LookupError(f"no wording for outbox kind {item.kind!r}")
            worded = await wording(item)
            targets = await self._targets(item) if worded is not None else []
        except Exception as error:
            logger.exception("outbox row %s cannot be worded", item.id)
            await self.outbox.give_up(item, _describe(error))
            return True
        if worded is None:
            await self.outbox.sent(item, "nothing to say", outcome="nothing")
            return True
        if not targets:
            await self.outbox.sent(item, "nobody to tell", outcome="nobody")
            return True
        outgoing = worded if isinstance(worded, Outgoing) else Outgoing(worded)
        sent = blocked = 0
        for target in targets:
            await self._take_slot()
            if item.broadcast_id is not None and not await self.outbox.still_sendable(item):
                return True  # paused or cancelled meanwhile: left as it is
            try:
                await self._send(outgoing, target)
            except TelegramRetryAfter as error:
                # This bot only: the other messenger's loop goes on.
                logger.info("429 on %s: outbox pauses %s s", self.platform, error.retry_after)
                await asyncio.sleep(error.retry_after)
                return False
            except TelegramForbiddenError:
                blocked += 1
            except (TelegramServerError, TelegramNetworkError, OSError, TimeoutError) as error:
                gave_up = await self.outbox.failed(
                    item, _describe(error), max_attempts=self.pacing.max_attempts,
                    backoff_seconds=self.pacing.backoff_seconds,
                )
                log = logger.warning if gave_up else logger.info
                log("outbox row %s on %s failed (%s)%s", item.id, self.platform,
                    type(error).__name__, "; given up" if gave_up else "; will retry")
                return True
            except TelegramAPIError as error:  # e.g. a 400: sending it again cannot help
                logger.warning("outbox row %s refused: %s", item.id, type(error).__name__)
                await self.outbox.give_up(item, _describe(error))
                return True
            else:
                sent += 1
            finally:
                self._last_sent[item.recipient] = time.monotonic()
        if blocked and not sent:
            await self.outbox.sent(item, "blocked", outcome="blocked")
        else:
            await self.outbox.sent(item)
        return True

    async def _send(self, outgoing: Outgoing, target: DeliveryTarget) -> None:
        locale = self._locale(target)
        text = self.notifier.render(outgoing.render, locale)
        keyboard: InlineKeyboardMarkup | None = None
        if outgoing.keyboard is not None:
            make = outgoing.keyboard
            with self.notifier.i18n.context(), self.notifier.i18n.use_locale(locale):
                keyboard = make()
        if outgoing.media is None:
            await self.bot.send_message(chat_id=target.chat_id, text=text, reply_markup=keyboard)
            return
        media = outgoing.media
        known = self._file_ids.get(media.key)
        file = known if known is not None else BufferedInputFile(
            await media.load(), filename=media.filename
        )
        caption = text or None
        if media.kind == "photo":
            message = await self.bot.send_photo(
                chat_id=target.chat_id, photo=file, caption=caption, reply_markup=keyboard
            )
        else:
            message = await self.bot.send_document(
                chat_id=target.chat_id, document=file, caption=caption, reply_markup=keyboard
            )
        if known is None:
            self._remember_file(media, message)

    def _remember_file(self, media: Media, message: Message) -> None:
        if media.kind == "photo" and message.photo:
            self._file_ids[media.key] = message.photo[-1].file_id
        elif message.document is not None:
            self._file_ids[media.key] = message.document.file_id

    async def _targets(self, item: OutboxItem) -> list[DeliveryTarget]:
        if item.chat_id is not None:
            return [DeliveryTarget(self.platform, item.chat_id, None, None)]
        assert item.person_id is not None
        targets = await self.notifier.accounts.delivery_targets(item.person_id)
        return [t for t in targets if t.platform == self.platform]

    def _locale(self, target: DeliveryTarget) -> str:
        return pick_locale(target.locale, target.language_code, self.notifier.i18n.default_locale)

    def _chat_free(self, recipient: tuple[str, int]) -> bool:
        last = self._last_sent.get(recipient)
        if last is None:
            return True
        wait = last + self.pacing.chat_interval_seconds - time.monotonic()
        if wait <= 0:
            del self._last_sent[recipient]
            return True
        self._retry_in = wait if self._retry_in is None else min(self._retry_in, wait)
        return False

    async def _take_slot(self) -> None:
        now = time.monotonic()
        if self._next_slot > now:
            await asyncio.sleep(self._next_slot - now)
        self._next_slot = max(now, self._next_slot) + 1.0 / self.pacing.rate_per_second

    async def _hold_lease(self) -> bool:
        if time.monotonic() - self._lease_renewed < self.pacing.lease_seconds / 3:
            return True
        if await self.outbox.take_lease(self.lease, self.holder, self.pacing.lease_seconds):
            self._lease_renewed = time.monotonic()
            return True
        self._lease_renewed = float("-inf")
        return False

    async def _idle(self) -> None:
        timeout = self.pacing.poll_seconds
        if self._retry_in is not None:
            timeout = min(timeout, self._retry_in)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.wake.wait(), timeout)
        self.wake.clear()


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:1000]

