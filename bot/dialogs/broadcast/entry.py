"""The way into the broadcast form. /broadcast is registered with the staff handlers
(bot/handlers/staff/broadcasts.py): administrators only, in a private chat with the bot."""

from __future__ import annotations

from aiogram_dialog import DialogManager, ShowMode, StartMode

from bot.dialogs.broadcast.states import BroadcastSG


async def open_broadcast(manager: DialogManager) -> None:
    await manager.start(BroadcastSG.compose, mode=StartMode.RESET_STACK, show_mode=ShowMode.SEND)
