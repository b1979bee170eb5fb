"""A catch for buttons no widget of the open screen owns (an older screen's button, or forged)."""

from __future__ import annotations

from typing import Any

from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext
from aiogram_dialog.api.internal import RawKeyboard
from aiogram_dialog.api.protocols import DialogManager, DialogProtocol
from aiogram_dialog.widgets.kbd import Keyboard

from bot.i18n import N_

OLD_SCREEN = N_("This button is from an old screen. Here is where you are.")


class OldButtonAnswer(Keyboard):
    """Draws nothing. Put it last in a window: a tap that no earlier widget took gets a polite
    pop-up, and the screen is shown again as it is (aiogram-dialog would otherwise stay silent)."""

    def __init__(self) -> None:
        super().__init__(id="old_button")

    async def _render_keyboard(self, data: dict[str, Any], manager: DialogManager) -> RawKeyboard:
        return []

    async def process_callback(
        self, callback: CallbackQuery, dialog: DialogProtocol, manager: DialogManager
    ) -> bool:
        await callback.answer(gettext(OLD_SCREEN))
        return True
