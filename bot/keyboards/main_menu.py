"""The main menu: big reply-keyboard buttons that stay under the chat. Lists only what works."""

from __future__ import annotations

import enum
from functools import cache

from aiogram.types import KeyboardButton, Message, ReplyKeyboardMarkup
from aiogram.utils.i18n import I18n, get_i18n, gettext

from bot.i18n import N_
from services.accounts import AccountContext


class MenuItem(enum.Enum):
    REGISTER = "register"
    COURSES = "courses"
    APPLY = "apply"
    MY_FILE = "my_file"
    CERTIFICATES = "certificates"
    COUNSELING = "counseling"
    JOB_LEADS = "job_leads"
    PROFILE = "profile"
    NOTIFICATIONS = "notifications"
    LANGUAGE = "language"
    CASEWORKER = "caseworker"
    HELP = "help"
    MAIN_MENU = "main_menu"


# Translated when the keyboard is drawn, in the reader's language.
LABELS = {
    MenuItem.REGISTER: N_("📝 Register"),
    MenuItem.COURSES: N_("📚 Skill courses"),
    MenuItem.APPLY: N_("📝 Apply"),
    MenuItem.MY_FILE: N_("📂 My file"),
    MenuItem.CERTIFICATES: N_("🎓 My certificates"),
    MenuItem.COUNSELING: N_("🧭 Career counseling"),
    MenuItem.JOB_LEADS: N_("💼 Job leads"),
    MenuItem.PROFILE: N_("👤 My profile"),
    MenuItem.NOTIFICATIONS: N_("🔔 Notifications"),
    MenuItem.LANGUAGE: N_("🌐 Language / زبان"),
    MenuItem.CASEWORKER: N_("💬 Talk to a caseworker"),
    MenuItem.HELP: N_("❓ Help"),
    MenuItem.MAIN_MENU: N_("🏠 Main menu"),
}


def main_menu_keyboard(*, registered: bool) -> ReplyKeyboardMarkup:
    # Built once per language: many answers carry it, and building its pydantic models costs a
    # tenth of a menu tap. Callers only pass it on, never change it.
    return _main_menu_keyboard(get_i18n().current_locale, registered=registered)


@cache
def _main_menu_keyboard(_locale: str, *, registered: bool) -> ReplyKeyboardMarkup:
    # Browsing courses needs no registration: everyone sees it; registered people see it first.
    if registered:
        rows = [
            [MenuItem.COURSES, MenuItem.JOB_LEADS],
            [MenuItem.APPLY, MenuItem.MY_FILE],
            [MenuItem.CERTIFICATES],
            [MenuItem.COUNSELING, MenuItem.PROFILE],
            [MenuItem.NOTIFICATIONS, MenuItem.LANGUAGE],
            [MenuItem.CASEWORKER, MenuItem.HELP],
        ]
    else:
        # News may reach people not registered yet: the screen to turn it off is theirs too.
        rows = [
            [MenuItem.REGISTER],
            [MenuItem.COURSES],
            [MenuItem.NOTIFICATIONS, MenuItem.LANGUAGE],
            [MenuItem.CASEWORKER, MenuItem.HELP],
        ]
    return ReplyKeyboardMarkup(
        keyboard=[[KeyboardButton(text=gettext(LABELS[item])) for item in row] for row in rows],
        resize_keyboard=True,
        is_persistent=True,
    )


@cache
def _labels_in_every_locale(i18n: I18n) -> dict[str, MenuItem]:
    # A keyboard drawn before a language switch still carries the old labels: accept them all.
    mapping: dict[str, MenuItem] = {}
    for locale in i18n.available_locales or (i18n.default_locale,):
        for item, label in LABELS.items():
            mapping[i18n.gettext(label, locale=locale)] = item
    return mapping


def menu_item_of(text: str | None, i18n: I18n) -> MenuItem | None:
    if not text:
        return None
    return _labels_in_every_locale(i18n).get(text.strip())


def label(item: MenuItem) -> str:
    return gettext(LABELS[item])


async def show_main_menu(message: Message, account: AccountContext) -> None:
    await message.answer(
        gettext("Main menu. Choose one of the buttons below."),
        reply_markup=main_menu_keyboard(registered=account.registered),
    )
