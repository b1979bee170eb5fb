"""/profile: the person's details, with a way to change them through the same form."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext
from aiogram_dialog import DialogManager

from bot.dialogs.registration.entry import start_registration
from bot.filters import MenuButton
from bot.keyboards.callbacks import ProfileCb
from bot.keyboards.main_menu import MenuItem
from bot.texts.profile import summary_lines
from services.accounts import AccountContext
from services.registration import RegistrationService


def build_profile_router() -> Router:
    router = Router(name=__name__)
    router.message.register(on_profile, Command("profile"))
    router.message.register(on_profile, MenuButton(MenuItem.PROFILE))
    router.callback_query.register(on_edit_profile, ProfileCb.filter())
    return router


async def on_profile(
    message: Message,
    account: AccountContext,
    registration_service: RegistrationService,
    dialog_manager: DialogManager,
) -> None:
    draft = await registration_service.load_profile(account.person_id)
    if draft is None:
        await message.answer(gettext("You have not registered yet. Let's do it now."))
        await start_registration(dialog_manager)
        return
    text = gettext("Your profile:") + "\n" + "\n".join(
        f"▫️ {label}: {value}" for label, value in summary_lines(draft)
    )
    keyboard = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(
        text=gettext("✏️ Change my details"), callback_data=ProfileCb(action="edit").pack()
    )]])
    await message.answer(text, reply_markup=keyboard)


async def on_edit_profile(
    callback: CallbackQuery,
    callback_data: ProfileCb,
    account: AccountContext,
    registration_service: RegistrationService,
    dialog_manager: DialogManager,
) -> None:
    # The profile is re-read here: the button only says "edit", never whose profile.
    draft = await registration_service.load_profile(account.person_id)
    if callback_data.action != "edit" or draft is None:
        await callback.answer(gettext("This button no longer works. Please use the menu."))
        return
    await callback.answer()
    await start_registration(dialog_manager, draft)
