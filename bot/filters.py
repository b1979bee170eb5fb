"""Async filters with plain checks.

aiogram runs synchronous filters, magic F included, through a thread hop: avoid them here."""

from __future__ import annotations

from typing import Any

from aiogram.filters import BaseFilter
from aiogram.types import CallbackQuery, Message, TelegramObject
from aiogram.utils.i18n import I18n

from bot.keyboards.main_menu import MenuItem, menu_item_of


class PrivateChat(BaseFilter):
    async def __call__(self, event: TelegramObject) -> bool:
        if isinstance(event, Message):
            return event.chat.type == "private"
        if isinstance(event, CallbackQuery):
            message = event.message
            return message is None or message.chat.type == "private"
        return False


class MenuButton(BaseFilter):
    """Matches a main-menu button by its label, in whichever language the keyboard was drawn."""

    def __init__(self, item: MenuItem) -> None:
        self.item = item

    async def __call__(self, message: Message, i18n: I18n, **_: Any) -> bool:
        return menu_item_of(message.text, i18n) is self.item
