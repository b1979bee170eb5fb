"""/language: switch between Persian and English; the choice is stored on the person."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import I18n, gettext

from bot.filters import MenuButton
from bot.i18n import SUPPORTED_LOCALES
from bot.keyboards.callbacks import LanguageCb
from bot.keyboards.main_menu import MenuItem, main_menu_keyboard
from services.accounts import AccountContext, AccountService

LANGUAGE_NAMES = {"fa": "فارسی", "en": "English"}


def build_language_router() -> Router:
    router = Router(name=__name__)
    router.message.register(on_language, Command("language"))
    router.message.register(on_language, MenuButton(MenuItem.LANGUAGE))
    router.callback_query.register(on_language_chosen, LanguageCb.filter())
    return router


async def on_language(message: Message) -> None:
    keyboard = InlineKeyboardMarkup(inline_keyboard=[[
        InlineKeyboardButton(text=LANGUAGE_NAMES[code], callback_data=LanguageCb(code=code).pack())
        for code in SUPPORTED_LOCALES
    ]])
    await message.answer(gettext("Choose your language:"), reply_markup=keyboard)


async def on_language_chosen(
    callback: CallbackQuery,
    callback_data: LanguageCb,
    account: AccountContext,
    account_service: AccountService,
    i18n: I18n,
) -> None:
    if callback_data.code not in SUPPORTED_LOCALES:
        await callback.answer(gettext("This button no longer works."))
        return
    updated = await account_service.set_locale(account, callback_data.code)
    with i18n.use_locale(callback_data.code):
        await callback.answer()
        if isinstance(callback.message, Message):
            await callback.message.answer(
                gettext("Language changed to {language}.").format(
                    language=LANGUAGE_NAMES[callback_data.code]
                ),
                reply_markup=main_menu_keyboard(registered=updated.registered),
            )
