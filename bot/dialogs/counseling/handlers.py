"""Counseling callbacks: read the tap, ask the service, move on. Buttons are never trusted: an
answer is checked against the question on screen and the questionnaire version."""

from __future__ import annotations

from typing import Any

from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext
from aiogram_dialog import DialogManager, ShowMode
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button

from bot.dialogs import context as ctx
from bot.dialogs.counseling.dialog_data import (
    NOTICE_KEY,
    clear_progress,
    load_progress,
    save_progress,
)
from bot.dialogs.counseling.states import CounselingSG
from bot.dialogs.counseling.texts import OLD_SCREEN, notice_text
from bot.dialogs.courses.entry import open_courses
from bot.keyboards.tickets import end_keyboard
from bot.texts.tickets import write_prompt
from services.catalog import CourseFilter, is_course_code_shaped
from services.counseling import AnswerRejectedError, progress

# Select item ids are "<question id>.<option id>" (ids never contain a dot), so a tap names the
# question it was drawn for and an old or forged button cannot answer another question.
ITEM_SEPARATOR = "."


def option_item_id(question_id: str, option_id: str) -> str:
    return f"{question_id}{ITEM_SEPARATOR}{option_id}"


async def start_questions(manager: DialogManager, *, notice: str | None = None) -> None:
    """A fresh questionnaire from the first question (a first go, a retake, or a start-over)."""
    fresh = await ctx.counseling(manager).start(ctx.person_id(manager))
    await save_progress(ctx.fsm(manager), fresh)
    _set_notice(manager, notice)
    await manager.switch_to(CounselingSG.question)


def _set_notice(manager: DialogManager, notice: str | None) -> None:
    if notice is None:
        manager.dialog_data.pop(NOTICE_KEY, None)
    else:
        manager.dialog_data[NOTICE_KEY] = notice


async def on_dialog_start(start_data: Any, manager: DialogManager) -> None:
    if isinstance(start_data, dict) and isinstance(start_data.get(NOTICE_KEY), str):
        _set_notice(manager, start_data[NOTICE_KEY])


async def on_begin(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    await start_questions(manager)


async def on_option(
    callback: CallbackQuery, _w: Any, manager: DialogManager, item_id: str
) -> None:
    service = ctx.counseling(manager)
    state = ctx.fsm(manager)
    current = await load_progress(state)
    if current is None or not progress.is_current(service.data, current):
        await _start_over(callback, manager, current)
        return
    question_id, _, option_id = item_id.partition(ITEM_SEPARATOR)
    try:
        updated = progress.answer(service.data, current, question_id, option_id)
    except AnswerRejectedError as error:
        # An old or forged button: a polite word, the same question again, nothing changed.
        await callback.answer(notice_text(error.problem.value))
        _set_notice(manager, error.problem.value)
        return
    _set_notice(manager, None)
    if progress.is_current(service.data, updated):
        await save_progress(state, updated)
        return
    try:
        await service.finish(ctx.person_id(manager), updated)
    except AnswerRejectedError:
        await start_questions(manager, notice="restarted")
        return
    await clear_progress(state)
    await manager.switch_to(CounselingSG.result)


async def _start_over(
    callback: CallbackQuery, manager: DialogManager, current: progress.Progress | None
) -> None:
    if current is None:
        # No questionnaire under way (its state is gone): begin one, without blaming anyone.
        await callback.answer(gettext(OLD_SCREEN))
        await start_questions(manager)
        return
    # The questionnaire file changed since the person began (a restart with a new version).
    await callback.answer(notice_text("restarted"))
    await start_questions(manager, notice="restarted")


async def on_text(_m: Message, _w: MessageInput, manager: DialogManager) -> None:
    # Typed words, stickers, photos: the question stays, with a hint to use the buttons.
    current = await load_progress(ctx.fsm(manager))
    if current is not None and not progress.is_current(ctx.counseling(manager).data, current):
        # The file changed since the last tap: the question on screen is already the new first.
        await start_questions(manager, notice="restarted")
        return
    _set_notice(manager, "need_button")


async def on_back(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    service = ctx.counseling(manager)
    current = await load_progress(ctx.fsm(manager))
    if current is None or not progress.is_current(service.data, current):
        await _start_over(callback, manager, current)
        return
    await save_progress(ctx.fsm(manager), progress.back(service.data, current))
    _set_notice(manager, None)


async def on_handoff(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    """From the result to a caseworker: a counseling ticket; the result screen closes so that
    what the person writes next goes to the caseworker."""
    tickets = ctx.services(manager).ticket_service
    opened = await tickets.open_ticket(ctx.person_id(manager), "counseling", {"from": "result"})
    await manager.done(show_mode=ShowMode.NO_UPDATE)
    if callback.message is not None:
        await callback.message.answer(write_prompt(), reply_markup=end_keyboard(opened.ticket_id))


async def on_retake(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    await start_questions(manager)


async def on_course(
    callback: CallbackQuery, _w: Any, manager: DialogManager, item_id: str
) -> None:
    """Open the course card (the courses dialog); its back button lists that field's courses."""
    card = None
    if is_course_code_shaped(item_id):
        card = await ctx.catalog(manager).card(item_id, ctx.today(manager))
    if card is None:
        await callback.answer(notice_text("course_gone"))
        return
    listing = CourseFilter(province=card.province, cluster=card.cluster_fa)
    await open_courses(manager, code=card.code, listing=listing)
