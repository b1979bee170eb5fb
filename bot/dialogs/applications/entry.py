"""Ways into the apply form: «📝 Apply» in the main menu, /apply, and «📝 Apply with this
course» on a course card (bot.dialogs.courses.card_actions).

The only module other flows import. My file shows the same applications, so it also takes from
here what the form keeps of the application on screen, its notices and the document upload."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext
from aiogram_dialog import DialogManager, ShowMode, StartMode
from aiogram_dialog.widgets.kbd import Button

from bot.dialogs import context as ctx
from bot.dialogs.applications.dialog_data import (
    APP_KEY,
    COURSE_KEY,
    PROGRAM_START_KEY,
    app_id,
    clear_notice,
    load,
    own,
    parse_id,
    set_notice,
)
from bot.dialogs.applications.documents import take_upload, upload_prompt, upload_prompt_values
from bot.dialogs.applications.states import ApplySG
from bot.dialogs.applications.texts import notice_text
from bot.dialogs.common import callback_message
from bot.dialogs.courses.entry import course_on_card
from bot.dialogs.entry import ask_to_register, menu_entry_router, register_first
from bot.dialogs.widgets import Tr
from bot.i18n import N_
from bot.keyboards.main_menu import MenuItem
from services.catalog import is_course_code_shaped

__all__ = [
    "APP_KEY",
    "app_id",
    "apply_with_course_button",
    "build_apply_menu_router",
    "clear_notice",
    "load",
    "notice_text",
    "own",
    "parse_id",
    "set_notice",
    "start_apply",
    "take_upload",
    "upload_prompt",
    "upload_prompt_values",
]

REGISTER_FIRST = N_(
    "To apply, please register first: press «📝 Register». It takes a few minutes, and "
    "your answers are kept if you stop."
)


def build_apply_menu_router() -> Router:
    return menu_entry_router(
        __name__, MenuItem.APPLY, "apply", start_apply, unregistered=register_first(REGISTER_FIRST)
    )


async def start_apply(
    manager: DialogManager, *, course_code: str | None = None, program_id: str | None = None
) -> None:
    """The form from the start: unfinished drafts first, or the programs (for `course_code`,
    those that pay for that course); with `program_id`, straight into that program's draft."""
    data: dict[str, str] = {}
    if course_code:
        data[COURSE_KEY] = course_code
    if program_id:
        data[PROGRAM_START_KEY] = program_id
    await manager.start(
        ApplySG.programs, data=data, mode=StartMode.RESET_STACK, show_mode=ShowMode.SEND
    )


def apply_with_course_button() -> Button:
    """For the course card: drawn only for an open course (`applicable` from the card getter)."""
    return Button(
        Tr("📝 Apply with this course"), id="apply_course", on_click=_on_apply_with_course,
        when="applicable",
    )


async def _on_apply_with_course(
    callback: CallbackQuery, _b: Button, manager: DialogManager
) -> None:
    code = course_on_card(manager)
    if not ctx.account(manager).registered:
        await callback.answer()
        message = callback_message(callback)
        if message is not None:
            await ask_to_register(message, REGISTER_FIRST)
        return
    if code is None or not is_course_code_shaped(code):
        await callback.answer(gettext("This button no longer works. Please use the menu."))
        return
    # Whether the course is still open, and which programs pay for it, is checked on the way.
    await start_apply(manager, course_code=code)
