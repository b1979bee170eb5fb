"""The beneficiary's exam buttons. A button names a session by id only: the service checks
the presser is enrolled in its course (a forged id changes nothing)."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext


class ExamAnswerCb(CallbackData, prefix="exa"):
    session: int
    attend: bool


def answer_keyboard(session_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[
        InlineKeyboardButton(text=gettext("✅ I will attend"),
                             callback_data=ExamAnswerCb(session=session_id, attend=True).pack()),
        InlineKeyboardButton(text=gettext("❌ I can't attend"),
                             callback_data=ExamAnswerCb(session=session_id, attend=False).pack()),
    ]])
