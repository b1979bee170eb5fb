"""The button under every broadcast: one tap stops general news (bot.handlers.notifications
answers it, in any state, without touching an open form)."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext


class StopNews(CallbackData, prefix="stopnews"):
    # The broadcast the button was under (None on a button made without one); only logged.
    broadcast_id: int | None = None


def stop_news_keyboard(broadcast_id: int | None = None) -> InlineKeyboardMarkup:
    """Call inside the recipient's locale (Notifier.render's context): the label is theirs."""
    return InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(
        text=gettext("🔕 Stop news"),
        callback_data=StopNews(broadcast_id=broadcast_id).pack(),
    )]])
