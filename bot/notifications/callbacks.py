"""Buttons under what a person is told outside their conversation: «🔕 Stop news» under a
broadcast. Its handler lives with the news switch."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext


class StopNews(CallbackData, prefix="stopnews"):
    pass


def stop_news_keyboard() -> InlineKeyboardMarkup:
    """Built inside the recipient's locale."""
    return InlineKeyboardMarkup(inline_keyboard=[[
        InlineKeyboardButton(text=gettext("🔕 Stop news"), callback_data=StopNews().pack())
    ]])
