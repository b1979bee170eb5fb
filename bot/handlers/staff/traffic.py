"""The staff router's gate: one cheap check that lets through only what staff screens can want,
so a beneficiary's ordinary taps and typing skip every staff handler (and its staff look-up)."""

from __future__ import annotations

from aiogram import Bot
from aiogram.filters import BaseFilter
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message, TelegramObject

from bot.config import Settings
from bot.keyboards.staff import STAFF_PREFIXES
from bot.platforms import platform_of


class StaffInput(StatesGroup):
    """A reviewer typing a reason or note (see bot.handlers.staff.inputs)."""

    text = State()


class StaffTraffic(BaseFilter):
    """In the configured staff group: everything. In a private chat: commands, staff buttons, and
    text while a reason is awaited. Anything else (other groups included): nothing."""

    async def __call__(
        self,
        event: TelegramObject,
        bot: Bot,
        settings: Settings,
        raw_state: str | None = None,
    ) -> bool:
        if isinstance(event, Message):
            chat = event.chat
        elif isinstance(event, CallbackQuery) and event.message is not None:
            chat = event.message.chat
        else:
            return False
        if chat.type != "private":
            return chat.id == settings.staff_chat_for(platform_of(bot))
        if isinstance(event, CallbackQuery):
            return (event.data or "").split(":", 1)[0] in STAFF_PREFIXES
        return raw_state == StaffInput.text.state or (event.text or "").startswith("/")
