"""The gate before the command and main-menu routers lets through everything they can match."""

from __future__ import annotations

import datetime as dt

from aiogram.types import CallbackQuery, Chat, Message, User

from bot.filters import CommandOrMenuButton, NotDialogCallback
from bot.i18n import build_i18n
from bot.keyboards.main_menu import LABELS

USER = User(id=5, is_bot=False, first_name="Sara")
CHAT = Chat(id=5, type="private")


def _message(text: str | None = None, caption: str | None = None) -> Message:
    return Message(
        message_id=1, date=dt.datetime.now(dt.UTC), chat=CHAT, from_user=USER,
        text=text, caption=caption,
    )


async def test_commands_and_menu_labels_in_every_language_pass() -> None:
    i18n = build_i18n("fa")
    gate = CommandOrMenuButton()
    for text in ("/start", "/start course_ABC", "/help@maharatyar_bot", " /cancel"):
        assert await gate(_message(text), i18n), text
    assert await gate(_message(caption="/help"), i18n)
    for locale in i18n.available_locales:
        for label in LABELS.values():
            assert await gate(_message(i18n.gettext(label, locale=locale)), i18n), label


async def test_answers_to_a_form_skip_the_menu_routers() -> None:
    i18n = build_i18n("fa")
    gate = CommandOrMenuButton()
    for text in ("مریم احمدی", "09121234567", "help", None):
        assert not await gate(_message(text), i18n), text


async def test_dialog_buttons_skip_the_menu_routers() -> None:
    gate = NotDialogCallback()

    def press(data: str) -> CallbackQuery:
        return CallbackQuery(id="1", from_user=USER, chat_instance="c", data=data)

    assert await gate(press("profile:edit"))
    assert await gate(press("forged"))
    assert not await gate(press("a1b2c3\x1dback"))
