"""gettext wiring: one I18n instance and the locale rule.

The rule: the stored choice, else the messenger's language, else the default."""

from __future__ import annotations

from typing import Any

from aiogram.types import TelegramObject
from aiogram.utils.i18n import I18n, get_i18n
from aiogram.utils.i18n.middleware import I18nMiddleware

from bot.config import PROJECT_ROOT
from services.accounts import AccountContext

LOCALES_DIR = PROJECT_ROOT / "locales"
SUPPORTED_LOCALES = ("fa", "en")


def build_i18n(default_locale: str) -> I18n:
    return I18n(path=LOCALES_DIR, default_locale=default_locale, domain="messages")


def pick_locale(stored: str | None, messenger_language: str | None, default: str) -> str:
    if stored in SUPPORTED_LOCALES:
        return stored
    if messenger_language:
        language = messenger_language.split("-")[0].lower()
        if language in SUPPORTED_LOCALES:
            return language
    return default


class AccountLocaleMiddleware(I18nMiddleware):
    """Reads the locale from the account context resolved by AccountMiddleware (no extra query)."""

    async def get_locale(self, event: TelegramObject, data: dict[str, Any]) -> str:
        account: AccountContext | None = data.get("account")
        if account is None:
            return self.i18n.default_locale
        return pick_locale(account.locale, account.language_code, self.i18n.default_locale)


def current_locale() -> str:
    """The locale of the update being handled (AccountLocaleMiddleware set it)."""
    return get_i18n().current_locale


def N_(msgid: str) -> str:
    """Marks a msgid for extraction (babel keyword `N_`); it is translated where it is shown."""
    return msgid
