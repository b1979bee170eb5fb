"""The way into counseling: the main-menu button (and /counseling).

Counseling needs the registered profile (its province picks the courses), so a person who is not
registered is asked to register first. A questionnaire left half-way resumes; otherwise the
newest result is shown (with a retake button), or the introduction on a first visit."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import Message
from aiogram.utils.i18n import gettext
from aiogram_dialog import DialogManager, ShowMode, StartMode

from bot.dialogs import context as ctx
from bot.dialogs.counseling.dialog_data import (
    NOTICE_KEY,
    clear_progress,
    load_progress,
    save_progress,
)
from bot.dialogs.counseling.states import CounselingSG
from bot.dialogs.entry import menu_entry_router
from bot.dialogs.registration.entry import start_registration
from bot.keyboards.main_menu import MenuItem
from services.counseling import progress


def build_counseling_menu_router() -> Router:
    return menu_entry_router(
        __name__, MenuItem.COUNSELING, "counseling", open_counseling, unregistered=_register_now
    )


async def _register_now(message: Message, manager: DialogManager) -> None:
    await message.answer(
        gettext("Career counseling uses your registered details (such as your province). "
                "Please register first; it takes a few minutes.")
    )
    await start_registration(manager)


async def open_counseling(manager: DialogManager) -> None:
    data = ctx.counseling(manager).data
    state = ctx.fsm(manager)
    saved = await load_progress(state)
    start_data: dict[str, str] = {}
    if saved is not None and saved.started and progress.is_current(data, saved):
        target = CounselingSG.question
        start_data[NOTICE_KEY] = "resumed"
    elif saved is not None and saved.started:
        # Started on a questionnaire that has since changed: its answers no longer fit.
        await save_progress(state, await ctx.counseling(manager).start(ctx.person_id(manager)))
        target = CounselingSG.question
        start_data[NOTICE_KEY] = "restarted"
    else:
        await clear_progress(state)
        has_result = await ctx.counseling(manager).latest(ctx.person_id(manager))
        target = CounselingSG.result if has_result else CounselingSG.intro
    await manager.start(
        target, data=start_data, mode=StartMode.RESET_STACK, show_mode=ShowMode.SEND
    )
