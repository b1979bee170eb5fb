"""Career counseling (issue 3): a short questionnaire, one question per screen with one big
button per row, then three suggested fields with their reasons and matching open courses."""

from __future__ import annotations

from aiogram.enums import ContentType
from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button, Column, Row, Select
from aiogram_dialog.widgets.text import Format, Multi

from bot.dialogs.counseling import getters as g
from bot.dialogs.counseling import handlers as h
from bot.dialogs.counseling.states import CounselingSG
from bot.dialogs.counseling.widgets import OldButtonAnswer
from bot.dialogs.widgets import Tr


def _second(item: tuple[str, str]) -> str:
    return item[1]


def _menu_button() -> Button:
    return Button(Tr("🏠 Main menu"), id="menu", on_click=h.on_main_menu)


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
        _menu_button(),
        OldButtonAnswer(),
        state=CounselingSG.intro,
        getter=g.intro_getter,
    )


def _question() -> Window:
    return Window(
        Multi(
            Format("⚠️ {notice}\n", when="notice"),
            Format("{progress_line}"),
            Format("{question}"),
            sep="\n",
        ),
        MessageInput(h.on_text, content_types=[ContentType.ANY]),
        Column(Select(Format("{item[0]}"), id="opt", item_id_getter=_second,
                      items="options", on_click=h.on_option)),
        Row(
            Button(Tr("⬅️ Back"), id="back", on_click=h.on_back, when="has_previous"),
            _menu_button(),
        ),
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
        Column(Select(Format("{item[0]}"), id="course", item_id_getter=_second,
                      items="courses", on_click=h.on_course)),
        # HANDOFF: the "💬 Talk to a counselor" button belongs here, once the hand-off to a
        # caseworker (its own issue) exists. Do not add a button before it does something.
        Button(Tr("🔁 Retake the questions"), id="retake", on_click=h.on_retake),
        _menu_button(),
        OldButtonAnswer(),
        state=CounselingSG.result,
        getter=g.result_getter,
    )


def counseling_dialog() -> Dialog:
    return Dialog(_intro(), _question(), _result(), on_start=h.on_dialog_start)
