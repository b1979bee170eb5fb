"""Last in line: whatever no screen is waiting for gets a kind pointer back to the menu."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import Router
from aiogram.exceptions import TelegramForbiddenError, TelegramRetryAfter, TelegramServerError
from aiogram.filters import ExceptionTypeFilter
from aiogram.types import CallbackQuery, ErrorEvent, Message, TelegramObject
from aiogram.utils.i18n import I18nMiddleware, gettext
from aiogram_dialog import DialogManager, ShowMode
from aiogram_dialog.api.exceptions import OutdatedIntent, UnknownIntent, UnknownState

from bot.keyboards.main_menu import main_menu_keyboard
from services.accounts import AccountContext
from services.text import isolate_commands

logger = logging.getLogger(__name__)


def build_fallback_router() -> Router:
    router = Router(name=__name__)
    router.message.register(on_unknown_message)
    router.callback_query.register(on_unknown_callback)
    return router


def build_errors_router() -> Router:
    router = Router(name=__name__)
    router.errors.middleware(_speak_their_language)
    router.errors.register(
        on_stale_screen, ExceptionTypeFilter(UnknownIntent, OutdatedIntent, UnknownState)
    )
    router.errors.register(on_blocked, ExceptionTypeFilter(TelegramForbiddenError))
    router.errors.register(
        on_messenger_unavailable, ExceptionTypeFilter(TelegramRetryAfter, TelegramServerError)
    )
    return router


async def on_unknown_message(message: Message, account: AccountContext | None = None) -> None:
    registered = account.registered if account else False
    await message.answer(
        gettext("I did not understand that. Please choose one of the buttons below.")
        + ("" if registered else "\n" + isolate_commands(gettext("To begin, send /start."))),
        reply_markup=main_menu_keyboard(registered=registered),
    )


async def on_unknown_callback(callback: CallbackQuery) -> None:
    # A forged or outdated button: say so, and change nothing.
    await callback.answer(gettext("This button no longer works. Please use the menu."))


async def on_stale_screen(
    event: ErrorEvent,
    dialog_manager: DialogManager | None = None,
    account: AccountContext | None = None,
) -> None:
    """A button from a screen that is gone (old message, finished form, or forged data)."""
    callback = event.update.callback_query
    if callback is not None:
        await callback.answer(gettext("This button is from an old screen. Here is where you are."))
    if dialog_manager is not None and dialog_manager.has_context():
        await dialog_manager.show(ShowMode.SEND)
        return
    message = callback.message if callback else event.update.message
    if isinstance(message, Message):
        await message.answer(
            gettext("Main menu. Choose one of the buttons below."),
            reply_markup=main_menu_keyboard(registered=bool(account and account.registered)),
        )


async def _speak_their_language(
    handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
    event: TelegramObject,
    data: dict[str, Any],
) -> Any:
    # Error handlers run outside the update's middlewares, so the locale context has already
    # been left by the time they run; re-enter it with the same middleware.
    locale_middleware: I18nMiddleware | None = data.get("i18n_middleware")
    if locale_middleware is None:
        return await handler(event, data)
    return await locale_middleware(handler, event, data)


async def on_blocked(event: ErrorEvent) -> None:
    # Already recorded by BlockedChatMiddleware; nothing more to send to someone who blocked us.
    logger.info("update %s: recipient blocked the bot", event.update.update_id)


async def on_messenger_unavailable(event: ErrorEvent) -> None:
    """A 429 or 5xx that outlived the retries (bot.platforms.requests): nothing can reach the
    person now. One line for the operator: the method and the chat, never the text."""
    error = event.exception
    method = getattr(error, "method", None)
    logger.warning(
        "update %s: %s to chat %s failed after retries (%s)",
        event.update.update_id,
        getattr(method, "__api_method__", "?"),
        getattr(method, "chat_id", None),
        type(error).__name__,
    )
