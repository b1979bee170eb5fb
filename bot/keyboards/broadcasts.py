"""The buttons of a broadcast's progress message and of /broadcasts.

They name the broadcast by id only: the press is re-checked (administrator, state) by
BroadcastService, so a forged or stale button changes nothing."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext

from services.broadcasts import BroadcastProgress, BroadcastState


class BroadcastCb(CallbackData, prefix="bcs"):
    action: str  # pause | resume | cancel (asks first) | cancel_yes | keep
    id: int


def progress_keyboard(progress: BroadcastProgress) -> InlineKeyboardMarkup | None:
    """⏸/▶️ and ✖️ while the broadcast runs; nothing once it has ended."""
    if progress.ended:
        return None
    if progress.state is BroadcastState.PAUSED:
        toggle = _button(gettext("▶️ Resume"), "resume", progress.id)
    else:
        toggle = _button(gettext("⏸ Pause"), "pause", progress.id)
    return InlineKeyboardMarkup(
        inline_keyboard=[[toggle, _button(gettext("✖️ Cancel"), "cancel", progress.id)]]
    )


def cancel_question_keyboard(broadcast_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[
        _button(gettext("✖️ Yes, cancel it"), "cancel_yes", broadcast_id),
        _button(gettext("↩️ No, keep sending"), "keep", broadcast_id),
    ]])


def _button(text: str, action: str, broadcast_id: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=text, callback_data=BroadcastCb(action=action, id=broadcast_id).pack()
    )
