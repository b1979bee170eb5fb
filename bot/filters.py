"""Filters of the beneficiary side, async with plain checks (the staff ones are in
bot.handlers.staff.filters).

aiogram runs synchronous filters, magic F included, through a thread hop: avoid them here."""

from __future__ import annotations

from typing import Any

from aiogram.filters import BaseFilter
from aiogram.filters.callback_data import CallbackData
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


class CommandOrMenuButton(BaseFilter):
    """A command (text or caption starting with "/", as aiogram's Command reads it) or a main-menu
    label: everything the command and menu routers can match, so a typed answer skips them."""

    async def __call__(self, message: Message, i18n: I18n, **_: Any) -> bool:
        text = message.text or message.caption
        if text and text.lstrip().startswith("/"):
            return True
        return menu_item_of(message.text, i18n) is not None


class CommandText(BaseFilter):
    """Text or caption starting with "/": the one cheap check in front of a router of commands
    only, so that everything else (every typed answer and menu tap) skips its Command filters."""

    async def __call__(self, message: Message) -> bool:
        text = message.text or message.caption
        return bool(text) and text.lstrip().startswith("/")  # type: ignore[union-attr]


class NotDialogCallback(BaseFilter):
    """A button that is not a dialog widget's (those carry the dialog's intent id)."""

    async def __call__(self, callback: CallbackQuery) -> bool:
        return _DIALOG_INTENT_SEPARATOR not in (callback.data or "")


class StrayCallback(BaseFilter):
    """Callback data that no screen can own: no dialog intent id and no known CallbackData prefix.

    aiogram-dialog hands every intent-less callback to the open form, which answers it silently;
    a forged or outdated button deserves a polite answer instead."""

    async def __call__(self, callback: CallbackQuery) -> bool:
        data = callback.data or ""
        if _DIALOG_INTENT_SEPARATOR in data:
            return False
        return data.split(_CALLBACK_SEPARATOR, 1)[0] not in _known_prefixes()


class OwnCallbackPrefix(BaseFilter):
    """Any button of these CallbackData classes, also one whose data does not unpack (forged).

    Registered after the classes' own handlers, it catches what they refused, so an open form
    does not swallow it in silence."""

    def __init__(self, *classes: type[CallbackData]) -> None:
        self.prefixes = {cls.__prefix__ for cls in classes}

    async def __call__(self, callback: CallbackQuery) -> bool:
        return (callback.data or "").split(_CALLBACK_SEPARATOR, 1)[0] in self.prefixes


_DIALOG_INTENT_SEPARATOR = "\x1d"
_CALLBACK_SEPARATOR = ":"


def _known_prefixes() -> set[str]:
    prefixes: set[str] = set()
    pending = list(CallbackData.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        prefix = getattr(cls, "__prefix__", None)
        if isinstance(prefix, str):
            prefixes.add(prefix)
    return prefixes
