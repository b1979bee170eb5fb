"""What every dialog reaches through its DialogManager: the services (services.container.Services),
the person, the conversation state, the bot, today.

Feature folders keep only what their own screens store (e.g. bot.dialogs.courses.dialog_data)."""

from __future__ import annotations

import datetime as dt
from typing import cast

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram_dialog import DialogManager

from bot.config import Settings
from bot.i18n import current_locale
from bot.notifications.notifier import Notifier
from services.accounts import AccountContext
from services.applications import ApplicationService
from services.catalog import CatalogService
from services.container import Services
from services.counseling import CounselingService
from services.jalali import today_in
from services.registration import RegistrationService


def account(manager: DialogManager) -> AccountContext:
    return cast(AccountContext, manager.middleware_data["account"])


def person_id(manager: DialogManager) -> int:
    return account(manager).person_id


def settings(manager: DialogManager) -> Settings:
    return cast(Settings, manager.middleware_data["settings"])


def timezone(manager: DialogManager) -> str:
    return settings(manager).timezone


def today(manager: DialogManager) -> dt.date:
    """Today where the people are (settings.timezone), not on the server's clock."""
    return today_in(timezone(manager))


def locale() -> str:
    return current_locale()


def fsm(manager: DialogManager) -> FSMContext:
    return cast(FSMContext, manager.middleware_data["state"])


def bot(manager: DialogManager) -> Bot:
    return cast(Bot, manager.middleware_data["bot"])


def outbox_queued(manager: DialogManager) -> None:
    """A service just committed outbox rows (e.g. staff alerts): the senders look now."""
    notifier = manager.middleware_data.get("notifier")
    if isinstance(notifier, Notifier):
        notifier.queued()


# --- services -----------------------------------------------------------------------------------


def services(manager: DialogManager) -> Services:
    return cast(Services, manager.middleware_data["services"])


def applications(manager: DialogManager) -> ApplicationService:
    return services(manager).application_service


def catalog(manager: DialogManager) -> CatalogService:
    return services(manager).catalog_service


def counseling(manager: DialogManager) -> CounselingService:
    return services(manager).counseling_service


def registration(manager: DialogManager) -> RegistrationService:
    return services(manager).registration_service
