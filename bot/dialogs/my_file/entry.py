"""Ways into My file: «📂 My file» in the main menu and /myfile."""

from __future__ import annotations

from aiogram import Router
from aiogram_dialog import DialogManager, ShowMode, StartMode

from bot.dialogs.entry import menu_entry_router, register_first
from bot.dialogs.my_file.states import MyFileSG
from bot.i18n import N_
from bot.keyboards.main_menu import MenuItem


def build_my_file_menu_router() -> Router:
    return menu_entry_router(
        __name__, MenuItem.MY_FILE, "myfile", open_my_file,
        unregistered=register_first(N_("Your file starts when you register: press «📝 Register».")),
    )


async def open_my_file(manager: DialogManager) -> None:
    await manager.start(MyFileSG.listing, mode=StartMode.RESET_STACK, show_mode=ShowMode.SEND)
