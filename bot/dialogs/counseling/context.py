"""What the counseling screens reach through the dialog manager: services, the person, today."""

from __future__ import annotations

import datetime as dt

from aiogram.fsm.context import FSMContext
from aiogram.utils.i18n import get_i18n
from aiogram_dialog import DialogManager

from bot.config import Settings
from bot.services.accounts import AccountContext
from bot.services.catalog import CatalogService
from bot.services.counseling import CounselingService
from bot.services.jalali import today_in

NOTICE_KEY = "notice"  # a bot.dialogs.counseling.labels.NOTICES code


def counseling(manager: DialogManager) -> CounselingService:
    service: CounselingService = manager.middleware_data["counseling_service"]
    return service


def catalog(manager: DialogManager) -> CatalogService:
    service: CatalogService = manager.middleware_data["catalog_service"]
    return service


def account(manager: DialogManager) -> AccountContext:
    context: AccountContext = manager.middleware_data["account"]
    return context


def fsm(manager: DialogManager) -> FSMContext:
    state: FSMContext = manager.middleware_data["state"]
    return state


def today(manager: DialogManager) -> dt.date:
    settings: Settings = manager.middleware_data["settings"]
    return today_in(settings.timezone)


def locale() -> str:
    return get_i18n().current_locale
