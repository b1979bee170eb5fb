"""The place where other features put their buttons on the course card.

The applications feature adds «📝 Apply with this course» here (a widget with `when="applicable"`);
the hand-off adds «💬 Talk to a caseworker» (`when="found"`).
What the card getter offers every widget here:
  `course_code` (str), `found` (bool: the course exists), `applicable` (bool: open, seats left).
Handlers read the course from the dialog: `bot.dialogs.courses.entry.course_on_card(manager)`,
and must re-check it with the service (the button may be old or forged).
"""

from __future__ import annotations

from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext
from aiogram_dialog import DialogManager
from aiogram_dialog.widgets.kbd import Button, Keyboard

from bot.dialogs.courses.entry import course_on_card
from bot.dialogs.handoff import hand_off, handoff_button
from services.catalog import is_course_code_shaped


def card_actions() -> list[Keyboard]:
    """Buttons drawn between «📤 Share» and «⬅️ Back» on the course card."""
    # Imported here: the applications feature imports course helpers of its own.
    from bot.dialogs.applications.entry import apply_with_course_button

    return [apply_with_course_button(), handoff_button(_on_handoff, when="found")]


async def _on_handoff(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    code = course_on_card(manager)
    if code is None or not is_course_code_shaped(code):
        await callback.answer(gettext("This button no longer works. Please use the menu."))
        return
    await hand_off(callback, manager, "course", {"course_code": code})
