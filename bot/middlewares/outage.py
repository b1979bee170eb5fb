"""When Redis or the database cannot be reached, the person is told the service is busy.

Only errors of reaching a store count (a refused or dropped connection, a timeout); any other
error goes on as before. The notice is rate-limited per person in this process's memory (the
store that would share the count is the one that is down).

Webhook mode: the failure is let through after the notice, so the messenger delivers the update
again and it is handled once the store is back (the repeated-update store clears its in-progress
mark on failure). Long polling cannot get the update again: the notice asks the person to send it
again, and the outage is logged once, not once per update. Nothing is kept between updates, so the
next update after the store comes back is served as usual: no restart."""

from __future__ import annotations

import errno
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import redis.exceptions
import sqlalchemy.exc
from aiogram import BaseMiddleware, Bot, Dispatcher
from aiogram.dispatcher.middlewares.user_context import UserContextMiddleware
from aiogram.types import TelegramObject, Update
from aiogram.utils.i18n import I18n

from bot.i18n import N_, pick_locale
from bot.middlewares.dedup import UPDATES_MAY_REPEAT
from services.accounts import AccountContext

logger = logging.getLogger(__name__)

NOTICE_INTERVAL_SECONDS = 60.0
WILL_BE_ANSWERED = N_(
    "⏳ The service is busy right now. Please wait a minute: what you sent is kept and will be "
    "answered."
)
SEND_AGAIN = N_(
    "⏳ The service is busy right now, and your last message did not reach us. Please send it "
    "again in a minute."
)

_STORE_ERRORS: tuple[type[BaseException], ...] = (
    redis.exceptions.ConnectionError,  # also BusyLoadingError
    redis.exceptions.TimeoutError,
    sqlalchemy.exc.OperationalError,
    sqlalchemy.exc.InterfaceError,
    sqlalchemy.exc.TimeoutError,  # no free connection in the pool
    ConnectionError,  # refused / reset / aborted / broken pipe, e.g. asyncpg while connecting
    TimeoutError,
)
_CONNECTION_ERRNOS = {
    errno.ECONNREFUSED, errno.ECONNRESET, errno.ECONNABORTED, errno.EHOSTUNREACH,
    errno.ENETUNREACH, errno.ETIMEDOUT, errno.EPIPE,
}


def is_store_outage(error: BaseException) -> bool:
    """A store could not be reached (here or as the explicit cause of the error)."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, _STORE_ERRORS):
            return True
        if isinstance(current, sqlalchemy.exc.DBAPIError) and current.connection_invalidated:
            return True
        if isinstance(current, OSError) and (
            current.errno in _CONNECTION_ERRNOS
            # asyncio's "Multiple exceptions: [Errno 111] ..." when every address refused
            or str(current).startswith("Multiple exceptions")
        ):
            return True
        current = current.__cause__
    return False


class StoreOutageMiddleware(BaseMiddleware):
    def __init__(
        self,
        i18n: I18n,
        notice_interval: float = NOTICE_INTERVAL_SECONDS,
        max_people: int = 100_000,
    ) -> None:
        self.i18n = i18n
        self.notice_interval = notice_interval
        self.max_people = max_people
        self._told: dict[tuple[int, int], float] = {}
        self._failed_updates = 0

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        try:
            result = await handler(event, data)
        except Exception as error:
            if not is_store_outage(error):
                raise
            redelivered = bool(data.get(UPDATES_MAY_REPEAT))
            self._log(error, redelivered)
            if isinstance(event, Update):
                await self._tell(event, data, redelivered)
            if redelivered:
                raise
            return None
        if self._failed_updates:
            logger.warning(
                "stores reachable again; %s update(s) failed meanwhile", self._failed_updates
            )
            self._failed_updates = 0
        return result

    def _log(self, error: Exception, redelivered: bool) -> None:
        self._failed_updates += 1
        if self._failed_updates == 1:  # once per outage; the recovery line closes it
            logger.warning(
                "a store is unreachable (%s: %s); people are told the service is busy%s",
                type(error).__name__, error,
                "" if redelivered else "; their updates are not handled",
            )

    async def _tell(self, update: Update, data: dict[str, Any], redelivered: bool) -> None:
        context = UserContextMiddleware.resolve_event_context(update)
        if context.user is None or context.chat is None:
            return
        bot: Bot = data["bot"]
        now = time.monotonic()
        key = (bot.id, context.user.id)
        told = self._told.get(key)
        if told is not None and now - told < self.notice_interval:
            if not redelivered and update.callback_query is not None:
                await _quietly(bot.answer_callback_query(update.callback_query.id))
            return
        if len(self._told) >= self.max_people:
            self._told = {k: t for k, t in self._told.items() if now - t < self.notice_interval}
        self._told[key] = now
        account: AccountContext | None = data.get("account")
        locale = (
            pick_locale(account.locale, account.language_code, self.i18n.default_locale)
            if account is not None
            else self.i18n.default_locale  # the stored choice may be what cannot be read
        )
        text = self.i18n.gettext(WILL_BE_ANSWERED if redelivered else SEND_AGAIN, locale=locale)
        if not redelivered and update.callback_query is not None:
            # The spinner on the pressed button stops only when answered; a retry would answer
            # it itself, so only when none will come.
            await _quietly(bot.answer_callback_query(update.callback_query.id))
        await _quietly(bot.send_message(context.chat.id, text))


async def _quietly(call: Awaitable[Any]) -> None:
    # The store outage is what is being handled; a failed notice must not replace it.
    try:
        await call
    except Exception as error:
        logger.info("busy notice not delivered: %s", type(error).__name__)


def install_outermost(dispatcher: Dispatcher, middleware: StoreOutageMiddleware) -> None:
    """Put the middleware before aiogram's own outer ones: the FSM middleware takes the chat's
    lock in Redis before any middleware added after it runs, and that is where a Redis outage
    shows first."""
    manager = dispatcher.update.outer_middleware
    builtin = list(manager)
    for existing in builtin:
        manager.unregister(existing)
    manager.register(middleware)
    for existing in builtin:
        manager.register(existing)
