"""Dialog widgets: texts that translate at render time (never at import time), and the buttons
every dialog draws the same way."""

from __future__ import annotations

from typing import Any

from aiogram.enums import ContentType
from aiogram.types import KeyboardButton
from aiogram.utils.i18n import gettext
from aiogram_dialog.api.internal import RawKeyboard, TextWidget
from aiogram_dialog.api.protocols import DialogManager
from aiogram_dialog.widgets.common import WhenCondition
from aiogram_dialog.widgets.kbd import Button, Keyboard, Row, Select
from aiogram_dialog.widgets.kbd.button import OnClick
from aiogram_dialog.widgets.kbd.select import OnItemClick
from aiogram_dialog.widgets.text import Format, Text

from bot.dialogs.common import on_main_menu

# For a MessageInput that answers whatever is sent (text, stickers, files) instead of ignoring it.
ANY_CONTENT = [ContentType.ANY]


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


def notice_line(*, warning: bool = False) -> Format:
    """The getter's `notice` (a one-time word about the last tap) above the screen's text;
    `warning` puts ⚠️ in front, for notices that carry no icon of their own."""
    return Format(("⚠️ " if warning else "") + "{notice}\n", when="notice")


def main_menu_button() -> Button:
    return Button(Tr("🏠 Main menu"), id="menu", on_click=on_main_menu)


def back_and_main_menu(
    on_back: OnClick, *, when: WhenCondition = None, back_id: str = "back"
) -> Row:
    """The last row of a form screen: «⬅️ Back» (drawn `when`) beside «🏠 Main menu» (always)."""
    return Row(Button(Tr("⬅️ Back"), id=back_id, on_click=on_back, when=when), main_menu_button())


def choices(
    widget_id: str, items: str, on_click: OnItemClick[Any, str], text: str = "{item[0]}"
) -> Select[str]:
    """One button per `(label, item id)` pair in the getter's `items` list; a press hands the
    item id to `on_click`. Lay them out with Column, Row or Group."""
    return Select(
        Format(text), id=widget_id, item_id_getter=_item_id, items=items, on_click=on_click
    )


def _item_id(item: tuple[str, str]) -> str:
    return item[1]
