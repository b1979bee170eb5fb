"""Buttons of the staff's exam screens (the creation form's choices)."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext


class ExamFormCb(CallbackData, prefix="exf"):
    # written | practical (the kind step), skip (the location step), save | stop (the end)
    action: str


def _row(*pairs: tuple[str, str]) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(text=text, callback_data=ExamFormCb(action=action).pack())
            for text, action in pairs]


def kind_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[_row(
        (gettext("📝 Written"), "written"), (gettext("🛠 Practical"), "practical"),
    )])


def skip_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[_row((gettext("Skip"), "skip"))])


def confirm_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[_row(
        (gettext("✅ Create and tell the enrolled"), "save"), (gettext("✖️ Cancel"), "stop"),
    )])
