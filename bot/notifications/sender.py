"""The outbox sender: one drain loop per bot token, sending the rows services/outbox.py wrote.

Only the holder of the token's lease (a row in outbox_leases, taken and renewed by a conditional
UPDATE) sends, so with several workers each token has one sender and the messenger's per-bot
limits hold; when the holder dies its lease runs out and another worker's loop takes over. The
lease is renewed while sending, also through long runs and 429 pauses.

A pass reads the due rows (most urgent first, then in id order) in one window, resolves the
people's chats on this messenger for the whole window in one query, and dispatches the rows:
each takes the next slot of the bot's rate (a token bucket of OUTBOX_RATE_* a second, burst 1),
then is sent by a task of its own, at most OUTBOX_MAX_IN_FLIGHT at once. A pass ends when its
window is done, when new rows are queued in this process (so news never waits behind a
broadcast's window) or after PASS_SECONDS, once its sends are answered and recorded.

Order and spacing: a recipient has at most one row in flight; a chat gets one message per
OUTBOX_CHAT_INTERVAL_SECONDS (counted from the answer to the previous one); a row in backoff
holds back its recipient's later rows (OutboxService.failed), so reading due rows only never
lets a later row overtake it. Quiet hours (QUIET_HOURS): each pass first moves the due rows of
kinds that can wait to the end of the quiet period.

Failures: a 429 pauses every send of this bot for its retry_after; the row stays pending and
is sent again (not counted as an attempt). 5xx and network errors retry with exponential
backoff until OUTBOX_MAX_ATTEMPTS (outcome failed); another 4xx is given up at once (refused);
a 403 is recorded by BlockedChatMiddleware on the bot's session (outcome blocked when every
chat of the recipient refused). A row that reached nobody (blocked, no chat, refused) calls
its Outgoing's on_undelivered, e.g. to tell the staff chat that a relay did not arrive.

Done rows are recorded in batches (one UPDATE per outcome, at least every FLUSH_SECONDS, at
FLUSH_ROWS, and always before a pass ends), so delivery is at least once: a crash may send
again the messages that were in flight or sent but not yet recorded, never more."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hashlib
import logging
import math
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

from bot.i18n import pick_locale
from bot.notifications.notifier import Notifier
from bot.notifications.outgoing import Outgoing, OutgoingSender
from bot.platforms.requests import RAISE_RETRY_AFTER
from services.accounts import DeliveryTarget
from services.metrics import OUTBOX_SENDS
from services.outbox import OutboxItem, OutboxService, Outcome
from services.quiet_hours import QuietHours

logger = logging.getLogger(__name__)

# What a row of a kind says: an Outgoing (its words and buttons built in the recipient's
# locale), or None for "nothing to say any more" (the row is then done).
Wording = Callable[[OutboxItem], Awaitable[Outgoing | None]]
PASS_SECONDS = 1.0
FLUSH_SECONDS = 0.1
FLUSH_ROWS = 200
STOP_GRACE_SECONDS = 5.0


@dataclass(frozen=True, slots=True)
class Pacing:
    rate_per_second: float
    chat_interval_seconds: float
    poll_seconds: float
    max_attempts: int
    backoff_seconds: float
    lease_seconds: float
    max_in_flight: int = 64
    quiet: QuietHours | None = None

    @property
    def window(self) -> int:
        """Rows read per pass: a little more than one pass can send."""
        return max(50, min(2000, math.ceil(self.rate_per_second * PASS_SECONDS * 1.2)))


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
        self.outgoing = OutgoingSender(bot)
        self._lease_renewed = float("-inf")
        self._next_slot = 0.0
        self._paused_until = 0.0
        self._last_sent: dict[tuple[str, int], float] = {}
        self._retry_in: float | None = None  # seconds until a skipped recipient is free again
        self._in_flight: set[asyncio.Task[None]] = set()
        self._room = asyncio.Semaphore(pacing.max_in_flight)
        self._done: dict[Outcome, list[int]] = {}
        self._unrecorded: set[int] = set()  # done, not yet written: not to be read as due
        self._batch_full = asyncio.Event()
        self._flush_lock = asyncio.Lock()
        self._flusher: asyncio.Task[None] | None = None

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
                await self._settle(STOP_GRACE_SECONDS)
            with contextlib.suppress(Exception):
                await self.outbox.release_lease(self.lease, self.holder)

    async def drain_once(self) -> bool:
        """One pass over a window of due rows; True if any row was dispatched. Returns once the
        pass's sends are answered and their outcomes written."""
        self._retry_in = None
        if not await self._hold_lease():
            return False
        self.wake.clear()
        handled = False
        try:
            await self._hold_for_quiet_hours()
            items = [
                item for item in await self.outbox.due(self.platform, self.pacing.window)
                if item.id not in self._unrecorded
            ]
            targets = await self._targets_of(items)
            ends = time.monotonic() + PASS_SECONDS
            seen: set[tuple[str, int]] = set()
            for item in items:
                recipient = item.recipient
                if recipient in seen:  # its earlier (or more urgent) row goes first
                    continue
                seen.add(recipient)
                if not self._chat_free(recipient):
                    continue
                await self._room.acquire()
                try:
                    await self._take_slot()
                    if not await self._hold_lease():
                        self._room.release()
                        break
                except BaseException:
                    self._room.release()
                    raise
                task = asyncio.create_task(self._deliver(item, targets.get(item.id, [])))
                self._in_flight.add(task)
                task.add_done_callback(self._in_flight.discard)
                handled = True
                if self.wake.is_set() or time.monotonic() >= ends:
                    break  # newly queued rows may be more urgent than the rest of this window
        finally:
            await self._settle()
        return handled

    async def _deliver(self, item: OutboxItem, targets: list[DeliveryTarget]) -> None:
        RAISE_RETRY_AFTER.set(True)  # this task's context only: a 429 pauses the whole sender
        try:
            await self._send_row(item, targets)
        except Exception:  # e.g. the database while recording a failure: the row stays pending
            logger.exception("outbox row %s on %s failed", item.id, self.platform)
        finally:
            self._room.release()

    async def _send_row(self, item: OutboxItem, targets: list[DeliveryTarget]) -> None:
        try:
            wording = self.wordings.get(item.kind)
            if wording is None:
                raise LookupError(f"no wording for outbox kind {item.kind!r}")
            outgoing = await wording(item)
        except Exception as error:
            logger.exception("outbox row %s cannot be worded", item.id)
            await self.outbox.give_up(item, _describe(error), Outcome.FAILED)
            self._count(Outcome.FAILED)
            return
        if outgoing is None or not targets:
            if outgoing is not None:
                await self._undelivered(item, outgoing, "nobody")
            self._record(item, Outcome.NOTHING if outgoing is None else Outcome.NOBODY)
            return
        sent = 0
        for number, target in enumerate(targets):
            if number:  # a second chat of the recipient is a second message
                await self._take_slot()
            try:
                await self._send(outgoing, target)
            except TelegramRetryAfter as error:
                logger.info("429 on %s: outbox pauses %s s", self.platform, error.retry_after)
                self._paused_until = max(self._paused_until,
                                         time.monotonic() + error.retry_after)
                self._count("rate_limited")
                return  # still pending: the next pass sends it
            except TelegramForbiddenError:
                pass
            except (TelegramServerError, TelegramNetworkError, OSError, TimeoutError) as error:
                gave_up = await self.outbox.failed(
                    item, _describe(error), max_attempts=self.pacing.max_attempts,
                    backoff_seconds=self.pacing.backoff_seconds,
                )
                log = logger.warning if gave_up else logger.info
                log("outbox row %s on %s failed (%s)%s", item.id, self.platform,
                    type(error).__name__, "; given up" if gave_up else "; will retry")
                self._count(Outcome.FAILED if gave_up else "retry")
                return
            except TelegramAPIError as error:  # e.g. a 400: sending it again cannot help
                logger.warning("outbox row %s refused: %s", item.id, type(error).__name__)
                await self.outbox.give_up(item, _describe(error), Outcome.REFUSED)
                self._count(Outcome.REFUSED)
                await self._undelivered(item, outgoing, "refused")
                return
            else:
                sent += 1
            finally:
                self._last_sent[item.recipient] = time.monotonic()
        if not sent:
            await self._undelivered(item, outgoing, "blocked")
        self._record(item, Outcome.SENT if sent else Outcome.BLOCKED)

    @staticmethod
    async def _undelivered(item: OutboxItem, outgoing: Outgoing, reason: str) -> None:
        if outgoing.on_undelivered is None:
            return
        try:
            await outgoing.on_undelivered(reason)
        except Exception:  # the row's outcome is still recorded
            logger.exception("outbox row %s: its undelivered hook failed", item.id)

    async def _send(self, outgoing: Outgoing, target: DeliveryTarget) -> None:
        locale = pick_locale(target.locale, target.language_code, self.notifier.i18n.default_locale)
        text = self.notifier.localized(outgoing.render, locale)
        markup = (
            self.notifier.localized(outgoing.keyboard, locale) if outgoing.keyboard else None
        )
        await self.outgoing.send(outgoing, target.chat_id, text, markup)

    async def _targets_of(self, items: list[OutboxItem]) -> dict[int, list[DeliveryTarget]]:
        """Each row's chats: its chat, or its person's unblocked private chats on this
        messenger (all the window's people in one query)."""
        people = sorted({item.person_id for item in items if item.person_id is not None})
        chats = (
            await self.notifier.accounts.delivery_targets_of(people, self.platform)
            if people else {}
        )
        return {
            item.id: (
                chats.get(item.person_id, []) if item.person_id is not None
                else [DeliveryTarget(self.platform, item.chat_id or 0, None, None)]
            )
            for item in items
        }

    # -- recording ----------------------------------------------------------------------------

    def _count(self, outcome: str) -> None:
        OUTBOX_SENDS.labels(self.platform, str(outcome)).inc()

    def _record(self, item: OutboxItem, outcome: Outcome) -> None:
        self._count(outcome)
        self._done.setdefault(outcome, []).append(item.id)
        self._unrecorded.add(item.id)
        if len(self._unrecorded) >= FLUSH_ROWS:
            self._batch_full.set()
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush_soon())

    async def _flush_soon(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._batch_full.wait(), FLUSH_SECONDS)
        with contextlib.suppress(Exception):  # logged; the next flush tries again
            await self._flush()

    async def _flush(self) -> None:
        async with self._flush_lock:
            self._batch_full.clear()
            if not self._done:
                return
            batch, self._done = self._done, {}
            try:
                await self.outbox.finish(batch)
            except Exception:
                logger.exception("outbox outcomes on %s not recorded; trying again", self.platform)
                for outcome, ids in batch.items():
                    self._done.setdefault(outcome, []).extend(ids)
                raise
            for ids in batch.values():
                self._unrecorded.difference_update(ids)

    async def _settle(self, timeout: float | None = None) -> None:  # noqa: ASYNC109
        """Wait for the sends in flight (cancelled after `timeout`), then write their outcomes."""
        if self._in_flight:
            _, late = await asyncio.wait(set(self._in_flight), timeout=timeout)
            for task in late:
                task.cancel()
            if late:
                await asyncio.wait(late)
        await self._flush()

    # -- pacing -------------------------------------------------------------------------------

    async def _hold_for_quiet_hours(self) -> None:
        quiet = self.pacing.quiet
        now = dt.datetime.now(dt.UTC)
        if quiet is None or not quiet.is_quiet(now):
            return
        held = await self.outbox.hold_during_quiet_hours(self.platform, quiet.ends_after(now))
        if held:
            logger.info("quiet hours: %s outbox rows on %s held", held, self.platform)

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
        """The next moment this bot may send: a token bucket at the rate with a burst of one,
        after any 429 pause (during which the lease is kept)."""
        while True:
            now = time.monotonic()
            if self._paused_until > now:
                await asyncio.sleep(min(self._paused_until - now, self.pacing.lease_seconds / 3))
                await self._hold_lease()
                continue
            slot = max(now, self._next_slot)
            self._next_slot = slot + 1.0 / self.pacing.rate_per_second
            if slot > now:
                await asyncio.sleep(slot - now)
            if self._paused_until <= time.monotonic():  # else a 429 came meanwhile: wait it out
                return

    def holds_lease(self) -> bool:
        """Whether this sender holds its bot's lease now (as of its last renewal; no query)."""
        return time.monotonic() - self._lease_renewed < self.pacing.lease_seconds

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
