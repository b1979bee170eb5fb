"""Each update speaks its person's language: chosen > stored > messenger language > default."""

from __future__ import annotations

from typing import Any

from aiogram.types import TelegramObject
from aiogram.utils.i18n import I18nMiddleware

from bot.i18n import pick_locale
from services.accounts import AccountContext


class AccountLocaleMiddleware(I18nMiddleware):
    """Reads the locale from the account context resolved by AccountMiddleware (no extra query)."""

    async def get_locale(self, event: TelegramObject, data: dict[str, Any]) -> str:
        account: AccountContext | None = data.get("account")
        if account is None:
            return self.i18n.default_locale
        return pick_locale(account.locale, account.language_code, self.i18n.default_locale)
