"""Career counseling: a short questionnaire, one question per screen with one big button per row,
then three suggested fields with their reasons and matching open courses."""

from __future__ import annotations

from typing import Any

from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext
from aiogram_dialog import Dialog, DialogManager, Window
from aiogram_dialog.api.internal import RawKeyboard
from aiogram_dialog.api.protocols import DialogProtocol
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button, Column, Keyboard
from aiogram_dialog.widgets.text import Format, Multi

from bot.dialogs.counseling import getters as g
from bot.dialogs.counseling import handlers as h
from bot.dialogs.counseling.states import CounselingSG
from bot.dialogs.counseling.texts import OLD_SCREEN
from bot.dialogs.waitlist_buttons import on_wait_for_field
from bot.dialogs.widgets import (
    ANY_CONTENT,
    Tr,
    back_and_main_menu,
    choices,
    main_menu_button,
    notice_line,
)


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


def _intro() -> Window:
    return Window(
        Multi(
            Tr("🧭 Career counseling"),
            Tr(
                "Answer {count} short questions about what you like doing and what fits your "
                "life. We then suggest three fields of work that suit you, and open courses "
                "in them near you. It takes about three minutes."
            ),
            sep="\n\n",
        ),
        Button(Tr("▶️ Start"), id="begin", on_click=h.on_begin),
        main_menu_button(),
        OldButtonAnswer(),
        state=CounselingSG.intro,
        getter=g.intro_getter,
    )


def _question() -> Window:
    return Window(
        Multi(
            notice_line(warning=True),
            Format("{progress_line}"),
            Format("{question}"),
            sep="\n",
        ),
        MessageInput(h.on_text, content_types=ANY_CONTENT),
        Column(choices("opt", "options", h.on_option)),
        back_and_main_menu(h.on_back, when="has_previous"),
        OldButtonAnswer(),
        state=CounselingSG.question,
        getter=g.question_getter,
    )


def _result() -> Window:
    return Window(
        Multi(
            Tr("🧭 Your career counseling result"),
            Tr(
                "The questions have changed since you answered them. Press «🔁 Retake» for a "
                "result from the new questions.",
                when="outdated",
            ),
            Format("{summary}"),
            Tr("Tap a course to see its details.", when="courses"),
            sep="\n\n",
        ),
        Column(choices("course", "courses", h.on_course)),
        Column(choices("wl_field", "waitlist_fields", on_wait_for_field)),
        Button(Tr("💬 Talk to a caseworker"), id="handoff", on_click=h.on_handoff),
        Button(Tr("🔁 Retake the questions"), id="retake", on_click=h.on_retake),
        main_menu_button(),
        OldButtonAnswer(),
        state=CounselingSG.result,
        getter=g.result_getter,
    )


def counseling_dialog() -> Dialog:
    return Dialog(_intro(), _question(), _result(), on_start=h.on_dialog_start)
