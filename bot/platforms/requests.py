"""Outgoing-call rules for every bot.

Honour a 429's retry_after; record a 403 (the person blocked the bot) and stop there. Keep the
answer types of the methods in use alive (see KeepResponseTypesMiddleware). Read an edit's stub
answer as "edited" where the messenger sends such stubs (EditStubAnswerMiddleware)."""

from __future__ import annotations

import asyncio
import logging
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from aiogram.client.session.middlewares.base import BaseRequestMiddleware
from aiogram.exceptions import ClientDecodeError, TelegramForbiddenError, TelegramRetryAfter
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType

from bot.platforms.bots import platform_of
from services.accounts import AccountService

if TYPE_CHECKING:
    from aiogram import Bot
    from aiogram.client.session.middlewares.base import NextRequestMiddlewareType

logger = logging.getLogger(__name__)


class KeepResponseTypesMiddleware(BaseRequestMiddleware):
    """Holds `Response[T]` for every answer type T this process has asked for.

    aiogram builds `Response[method.__returning__]` for each answer; pydantic caches that generic
    class only weakly, so the garbage collector frees it every few dozen updates and the next
    call spends ~10 ms rebuilding its schema (a fifth of a menu tap's time, measured). A strong
    reference, one per answer type, keeps the cached class."""

    def __init__(self) -> None:
        self._kept: dict[Any, type] = {}

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Any:
        returning = method.__returning__
        if returning not in self._kept:
            self._kept[returning] = Response[returning]  # type: ignore[valid-type]
        return await make_request(bot, method)


# Set (in its own tasks) by a caller that paces itself and must hear of every 429 at once: the
# outbox sender pauses all its sends, where waiting here would hold one while the others go on.
RAISE_RETRY_AFTER: ContextVar[bool] = ContextVar("raise_retry_after", default=False)


class RetryAfterMiddleware(BaseRequestMiddleware):
    """A 429 says how long to wait; waiting and trying again beats losing the message.

    Long waits are not absorbed here (they would stall the conversation): they are raised; so is
    every 429 under RAISE_RETRY_AFTER."""

    def __init__(self, max_wait_seconds: float = 10.0, max_attempts: int = 3) -> None:
        self.max_wait = max_wait_seconds
        self.max_attempts = max_attempts

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Any:
        for attempt in range(1, self.max_attempts + 1):
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as error:
                if (attempt == self.max_attempts or error.retry_after > self.max_wait
                        or RAISE_RETRY_AFTER.get()):
                    raise
                logger.info("429 on %s: waiting %s s", method.__api_method__, error.retry_after)
                await asyncio.sleep(error.retry_after)
        raise AssertionError("unreachable")


EDIT_METHODS = frozenset(
    {"editMessageText", "editMessageReplyMarkup", "editMessageCaption", "editMessageMedia"}
)


class EditStubAnswerMiddleware(BaseRequestMiddleware):
    """An edit answered with something that is not a message (Bale's stubs) was still done: the
    answer becomes `True` (the Bot API's "edited, message not returned"), so the update goes on.

    Added only for messengers whose profile says their edit answers may be stubs; elsewhere an
    undecodable answer stays an error."""

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Any:
        try:
            return await make_request(bot, method)
        except ClientDecodeError:
            if method.__api_method__ not in EDIT_METHODS:
                raise
            logger.debug("%s answered with a stub; taken as edited", method.__api_method__)
            return True


class BlockedChatMiddleware(BaseRequestMiddleware):
    """403 on a private chat means the person blocked the bot: record it once, never retry."""

    def __init__(self, accounts: AccountService) -> None:
        self.accounts = accounts

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Any:
        try:
            return await make_request(bot, method)
        except TelegramForbiddenError:
            chat_id = getattr(method, "chat_id", None)
            # Positive ids are private chats (user id == chat id); groups are negative.
            if isinstance(chat_id, int) and chat_id > 0:
                await self.accounts.mark_blocked(platform_of(bot), chat_id)
                logger.info("chat %s on %s blocked the bot", chat_id, platform_of(bot))
            raise
