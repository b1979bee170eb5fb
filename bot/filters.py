"""Async filters with plain checks.

aiogram runs synchronous filters, magic F included, through a thread hop: avoid them here."""

from __future__ import annotations

from typing import Any

from aiogram import Bot
from aiogram.filters import BaseFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, Chat, Message, TelegramObject, User
from aiogram.utils.i18n import I18n

from bot.config import Settings
from bot.keyboards.main_menu import MenuItem, menu_item_of
from bot.keyboards.staff import STAFF_PREFIXES
from bot.platforms import platform_of
from bot.services.staff import StaffService


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


class StaffChat(BaseFilter):
    """The staff group configured for the messenger this update came from
    (STAFF_CHAT_TELEGRAM / STAFF_CHAT_BALE)."""

    async def __call__(self, event: TelegramObject, bot: Bot, settings: Settings) -> bool:
        chat = _chat_of(event)
        if chat is None or chat.type == "private":
            return False
        return chat.id == settings.staff_chat_for(platform_of(bot))


class IsStaff(BaseFilter):
    """Passes staff members (roles from the database) and hands the handler `staff`.

    Placed after cheaper filters (a command, a callback prefix, a state) so that beneficiaries'
    ordinary messages never cost a staff look-up."""

    def __init__(self, *, admin: bool = False) -> None:
        self.admin = admin

    async def __call__(
        self,
        event: TelegramObject,
        bot: Bot,
        staff_service: StaffService,
        event_from_user: User | None = None,
    ) -> bool | dict[str, Any]:
        if event_from_user is None or event_from_user.is_bot:
            return False
        member = await staff_service.member(platform_of(bot), event_from_user.id)
        if member is None or (self.admin and not member.is_admin):
            return False
        return {"staff": member}


class StaffCallback(BaseFilter):
    """A button of the staff screens (by its CallbackData prefix), whoever pressed it."""

    async def __call__(self, callback: CallbackQuery) -> bool:
        prefix = (callback.data or "").split(_CALLBACK_SEPARATOR, 1)[0]
        return prefix in STAFF_PREFIXES


def _chat_of(event: TelegramObject) -> Chat | None:
    if isinstance(event, Message):
        return event.chat
    if isinstance(event, CallbackQuery) and event.message is not None:
        return event.message.chat
    return None
