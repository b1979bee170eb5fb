"""The staff router's filters: the gate (StaffTraffic), the staff group, staff membership and
staff buttons.

The gate is one cheap check that lets through only what staff screens can want, so a
beneficiary's ordinary taps and typing skip every staff handler (and its staff look-up)."""

from __future__ import annotations

from typing import Any

from aiogram import Bot
from aiogram.filters import BaseFilter
from aiogram.types import CallbackQuery, Chat, Message, TelegramObject, User

from bot.handlers.staff.states import STAFF_FORM_STATES
from bot.keyboards.staff import STAFF_PREFIXES
from bot.platforms.bots import platform_of
from services.staff import StaffService
from services.staff_chats import StaffChatRouting

_CALLBACK_SEPARATOR = ":"


class StaffTraffic(BaseFilter):
    """In a staff chat (the configured staff group, or a chat bound to provinces with
    /bindchat): everything. In a private chat: commands, staff buttons, and text while a reason
    is awaited. Anything else (other groups included): nothing."""

    async def __call__(
        self,
        event: TelegramObject,
        bot: Bot,
        staff_chat_routing: StaffChatRouting,
        raw_state: str | None = None,
    ) -> bool:
        if isinstance(event, Message):
            chat = event.chat
        elif isinstance(event, CallbackQuery) and event.message is not None:
            chat = event.message.chat
        else:
            return False
        if chat.type != "private":
            return await staff_chat_routing.is_staff_chat(platform_of(bot), chat.id)
        if isinstance(event, CallbackQuery):
            return (event.data or "").split(":", 1)[0] in STAFF_PREFIXES
        return raw_state in STAFF_FORM_STATES or (event.text or "").startswith("/")


class StaffReach(BaseFilter):
    """Whether any staff screen can want this: a group chat, a command (text or a file's
    caption), a staff button, or text while a staff form waits for it. On the staff router
    itself, so a beneficiary's typed answers and dialog buttons pass it with one check instead
    of walking every staff router's filters; each handler below still checks the rest."""

    def __init__(self, form_states: frozenset[str | None]) -> None:
        self.form_states = form_states

    async def __call__(self, event: TelegramObject, raw_state: str | None = None) -> bool:
        if isinstance(event, CallbackQuery):
            message = event.message
            if message is not None and message.chat.type != "private":
                return True
            return (event.data or "").split(_CALLBACK_SEPARATOR, 1)[0] in STAFF_PREFIXES
        if not isinstance(event, Message):
            return False
        if event.chat.type != "private" or raw_state in self.form_states:
            return True
        text = event.text or event.caption
        return bool(text) and text.lstrip().startswith("/")  # type: ignore[union-attr]


class StaffChat(BaseFilter):
    """A staff chat of the messenger this update came from: its configured staff group
    (STAFF_CHAT_TELEGRAM / STAFF_CHAT_BALE) or a chat bound to provinces with /bindchat."""

    async def __call__(
        self, event: TelegramObject, bot: Bot, staff_chat_routing: StaffChatRouting
    ) -> bool:
        chat = _chat_of(event)
        if chat is None or chat.type == "private":
            return False
        return await staff_chat_routing.is_staff_chat(platform_of(bot), chat.id)


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
