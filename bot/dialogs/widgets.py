"""Dialog text widgets that translate at render time (never at import time)."""

from __future__ import annotations

from typing import Any

from aiogram.types import KeyboardButton
from aiogram.utils.i18n import gettext
from aiogram_dialog.api.internal import RawKeyboard, TextWidget
from aiogram_dialog.api.protocols import DialogManager
from aiogram_dialog.widgets.common import WhenCondition
from aiogram_dialog.widgets.kbd import Keyboard
from aiogram_dialog.widgets.text import Text


class Tr(Text):
    """`Tr("Hello {name}")`: gettext of the literal, then `.format_map` with the getter's data.

    Babel extracts it through the `Tr` keyword (babel.cfg / Makefile)."""

    def __init__(self, msgid: str, when: WhenCondition = None) -> None:
        super().__init__(when=when)
        self.msgid = msgid

    async def _render_text(self, data: dict[str, Any], manager: DialogManager) -> str:
        translated = gettext(self.msgid)
        if "{" not in translated:
            return translated
        return translated.format_map(_Missing(data))


class _Missing(dict[str, Any]):
    """format_map that leaves unknown placeholders visible instead of crashing a screen."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class PlainReplyButton(Keyboard):
    """A reply-keyboard button that sends its label as text, for a router outside the dialog.

    aiogram-dialog encodes its own buttons' callback data into invisible characters appended to
    reply-keyboard labels; a plain label is what the main-menu filter recognises."""

    def __init__(self, text: TextWidget, when: WhenCondition = None) -> None:
        super().__init__(when=when)
        self.text = text

    async def _render_keyboard(self, data: dict[str, Any], manager: DialogManager) -> RawKeyboard:
        return [[KeyboardButton(text=await self.text.render_text(data, manager))]]
