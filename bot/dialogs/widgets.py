"""Dialog text widgets that translate at render time (never at import time)."""

from __future__ import annotations

from typing import Any

from aiogram.utils.i18n import gettext
from aiogram_dialog.api.protocols import DialogManager
from aiogram_dialog.widgets.common import WhenCondition
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
