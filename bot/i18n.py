"""gettext wiring: one I18n instance and the locale rule.

The rule: the stored choice, else the messenger's language, else the default."""

from __future__ import annotations

from aiogram.utils.i18n import I18n, get_i18n

from bot.config import PROJECT_ROOT

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


def current_locale() -> str:
    """The locale of the update being handled (AccountLocaleMiddleware set it)."""
    return get_i18n().current_locale


def N_(msgid: str) -> str:
    """Marks a msgid for extraction (babel keyword `N_`); it is translated where it is shown."""
    return msgid
