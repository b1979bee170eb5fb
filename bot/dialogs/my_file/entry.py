"""Ways into My file: «📂 My file» in the main menu and /myfile."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message
from aiogram.utils.i18n import gettext
from aiogram_dialog import DialogManager, ShowMode, StartMode

from bot.dialogs.my_file.states import MyFileSG
from bot.filters import MenuButton
from bot.keyboards.main_menu import MenuItem, main_menu_keyboard
from bot.services.accounts import AccountContext


def build_my_file_menu_router() -> Router:
    """Goes before the dialogs: the menu button must work from inside any open form."""
    router = Router(name=__name__)
    router.message.register(on_my_file_button, MenuButton(MenuItem.MY_FILE))
    router.message.register(on_my_file_button, Command("myfile"))
    return router


async def on_my_file_button(
    message: Message, account: AccountContext, dialog_manager: DialogManager
) -> None:
    if not account.registered:
        await message.answer(
            gettext("Your file starts when you register: press «📝 Register»."),
            reply_markup=main_menu_keyboard(registered=False),
        )
        return
    await dialog_manager.start(
        MyFileSG.listing, mode=StartMode.RESET_STACK, show_mode=ShowMode.SEND
    )
