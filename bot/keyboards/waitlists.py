"""Buttons of «🔔 My waitlists» and of a course-opening notice."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class WaitlistCb(CallbackData, prefix="wtl"):
    """«🔔 My waitlists» (action "list") and «✖️ Remove» one (action "rm", its id)."""

    action: str
    waitlist_id: int = 0


class OpenedCourseCb(CallbackData, prefix="wtc"):
    """A course of a notice: opens its card (re-read from the catalog)."""

    code: str
