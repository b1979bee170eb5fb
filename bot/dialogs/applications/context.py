"""What the application screens reach through the dialog manager: services, the person, today,
the application being filled in. Kept small so My file and the apply form share it."""

from __future__ import annotations

import datetime as dt

from aiogram import Bot
from aiogram.utils.i18n import get_i18n
from aiogram_dialog import DialogManager

from bot.config import Settings
from bot.platforms import profile_of
from bot.services.accounts import AccountContext
from bot.services.applications import ApplicationService
from bot.services.jalali import today_in

APP_KEY = "app_id"


def service(manager: DialogManager) -> ApplicationService:
    applications: ApplicationService = manager.middleware_data["application_service"]
    return applications


def account(manager: DialogManager) -> AccountContext:
    context: AccountContext = manager.middleware_data["account"]
    return context


def person_id(manager: DialogManager) -> int:
    return account(manager).person_id


def settings(manager: DialogManager) -> Settings:
    value: Settings = manager.middleware_data["settings"]
    return value


def today(manager: DialogManager) -> dt.date:
    return today_in(settings(manager).timezone)


def timezone(manager: DialogManager) -> str:
    return settings(manager).timezone


def locale() -> str:
    return get_i18n().current_locale


def bot(manager: DialogManager) -> Bot:
    value: Bot = manager.middleware_data["bot"]
    return value


def download_cap(manager: DialogManager) -> int:
    """The most this messenger lets a bot download (a program may ask for less)."""
    return profile_of(bot(manager)).max_download_bytes


def app_id(manager: DialogManager) -> int | None:
    value = manager.dialog_data.get(APP_KEY)
    return value if isinstance(value, int) else None


def parse_id(text: str) -> int | None:
    """Ids from callback data are never trusted: digits only, bounded."""
    if not text.isdigit() or len(text) > 12:
        return None
    return int(text)
