"""The hottest main-menu taps answered ahead of the router tree.

A main-menu button whose answer depends only on the person and their language (❓ Help, say) is
among the updates people send most, and most of its time went to the framework around the
answer: aiogram-dialog loading and saving the conversation's stack, and aiogram walking the
routers and their filters down to the handler. Such a tap is answered here instead, by the very
handler the router tree would choose, after the middlewares every update passes (repeats
dropped, the person known, their language set, floods held back; the chat's lock held).

Only where the tree's answer is certain: a private chat, the label exact (a dialog's own
reply-button mark makes it another text), and a sender who cannot be staff — staff screens come
first in the tree and may be waiting for typed text. Everything else goes on down the tree."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from aiogram import BaseMiddleware
from aiogram.dispatcher.event.handler import HandlerObject
from aiogram.types import TelegramObject, Update
from aiogram.utils.i18n import I18n

from bot.keyboards.main_menu import MenuItem, menu_item_of
from bot.middlewares.metrics import SLOT, Handler, handler_name
from bot.platforms.bots import platform_of
from services.accounts import AccountContext
from services.staff import StaffRoster


def _always(_: AccountContext) -> bool:
    return True


@dataclass(frozen=True)
class MenuShortcut:
    """`handler` is called with what the dispatcher would pass it (aiogram's own injection by
    parameter name); `applies` says for whom the tree would choose that handler."""

    handler: Callable[..., Awaitable[Any]]
    applies: Callable[[AccountContext], bool] = _always


class MenuShortcutMiddleware(BaseMiddleware):
    """Innermost outer update middleware: registered after the throttling, before aiogram-dialog
    installs its own (which load the conversation)."""

    def __init__(self, shortcuts: Mapping[MenuItem, MenuShortcut]) -> None:
        self._shortcuts = {
            item: (HandlerObject(callback=shortcut.handler), shortcut.applies)
            for item, shortcut in shortcuts.items()
        }

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        message = event.message if isinstance(event, Update) else None
        if message is None or message.chat.type != "private" or not message.text:
            return await handler(event, data)
        i18n: I18n | None = data.get("i18n")
        account: AccountContext | None = data.get("account")
        item = menu_item_of(message.text, i18n) if i18n is not None else None
        chosen = self._shortcuts.get(item) if item is not None else None
        if chosen is None or account is None or message.from_user is None:
            return await handler(event, data)
        shortcut, applies = chosen
        roster: StaffRoster = data["staff_roster"]
        staff_maybe = await roster.may_be_staff(platform_of(data["bot"]), message.from_user.id)
        if staff_maybe or not applies(account):
            return await handler(event, data)
        slot = data.get(SLOT)
        if slot is not None:
            slot.handler = handler_name(shortcut)
        return await shortcut.call(message, **{**data, "event_update": event})
