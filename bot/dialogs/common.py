"""Callbacks every dialog shares."""

from __future__ import annotations

from aiogram.types import CallbackQuery, Message
from aiogram_dialog import DialogManager
from aiogram_dialog.widgets.kbd import Button

from bot.dialogs import context as ctx
from bot.keyboards.main_menu import show_main_menu


def callback_message(callback: CallbackQuery) -> Message | None:
    """The message under the pressed button; None when the messenger no longer shows it."""
    return callback.message if isinstance(callback.message, Message) else None


async def on_main_menu(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    """Leave the form for the main menu. What the form saved (a draft, the answers so far) stays:
    its menu button offers to continue."""
    await manager.done()
    message = callback_message(callback)
    if message is not None:
        await show_main_menu(message, ctx.account(manager))
