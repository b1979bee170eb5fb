"""Main-menu buttons (and their /commands) that open a dialog, for a router of their own.

Such a router goes before the dialogs: the menu button must work from inside any open form."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message
from aiogram.utils.i18n import gettext
from aiogram_dialog import DialogManager

from bot.filters import MenuButton
from bot.keyboards.main_menu import MenuItem, main_menu_keyboard
from services.accounts import AccountContext

OpenDialog = Callable[[DialogManager], Awaitable[None]]
# What a person who is not registered yet gets instead of the dialog.
Unregistered = Callable[[Message, DialogManager], Awaitable[None]]


def menu_entry_router(
    name: str,
    item: MenuItem,
    command: str,
    open_dialog: OpenDialog,
    *,
    unregistered: Unregistered | None = None,
) -> Router:
    """`item`'s button and /`command` call `open_dialog`; with `unregistered`, only for a
    registered person (the others get `unregistered`)."""

    async def on_entry(
        message: Message, dialog_manager: DialogManager, account: AccountContext | None = None
    ) -> None:
        if unregistered is not None and (account is None or not account.registered):
            await unregistered(message, dialog_manager)
            return
        await open_dialog(dialog_manager)

    router = Router(name=name)
    router.message.register(on_entry, MenuButton(item))
    router.message.register(on_entry, Command(command))
    return router


def register_first(msgid: str) -> Unregistered:
    """An `unregistered` answer: `msgid` (marked with N_) over the main menu, whose first button
    is «📝 Register»."""

    async def answer(message: Message, _manager: DialogManager) -> None:
        await ask_to_register(message, msgid)

    return answer


async def ask_to_register(message: Message, msgid: str) -> None:
    await message.answer(gettext(msgid), reply_markup=main_menu_keyboard(registered=False))
