"""Callback data, short prefixes (Telegram caps callback data at 64 bytes). Never trusted as is."""

from aiogram.filters.callback_data import CallbackData


class LanguageCb(CallbackData, prefix="lang"):
    code: str


class ProfileCb(CallbackData, prefix="prof"):
    action: str


class SwitchCb(CallbackData, prefix="ntf"):
    """A switch of the 🔔 Notifications screen set to `on` (not flipped: an old button or a
    second press leaves it as it is)."""

    topic: str
    on: bool
