"""Apply form callbacks of the review screen: change an answer, the course or the papers, and send.
"""

from __future__ import annotations

from typing import Any

from aiogram.types import CallbackQuery
from aiogram_dialog import DialogManager
from aiogram_dialog.widgets.kbd import Button

from bot.dialogs import context as ctx
from bot.dialogs.applications import dialog_data, flow
from bot.dialogs.applications.dialog_data import UNMET_KEY, clear_notice, set_notice
from bot.dialogs.applications.states import ApplySG
from bot.dialogs.common import callback_message
from bot.texts.applications import submission_confirmation
from services.applications import SubmitOutcome

# --- review and send --------------------------------------------------------------------------


async def on_edit_question(
    _c: CallbackQuery, _w: Any, manager: DialogManager, item_id: str
) -> None:
    loaded = await dialog_data.load(manager)
    index = dialog_data.parse_id(item_id)
    if loaded is None or index is None or index >= len(loaded[1].questions):
        return
    clear_notice(manager)
    manager.dialog_data[dialog_data.EDITING_KEY] = True
    await flow.go_question(manager, index)


async def on_edit_course(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    loaded = await dialog_data.load(manager)
    if loaded is None:
        return
    clear_notice(manager)
    await flow.enter_courses(manager, loaded[0])
    manager.dialog_data[dialog_data.EDITING_KEY] = True


async def on_edit_documents(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    clear_notice(manager)
    manager.dialog_data[dialog_data.EDITING_KEY] = True
    await manager.switch_to(ApplySG.documents)


async def on_submit(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    app_id = dialog_data.app_id(manager)
    message = callback_message(callback)
    if app_id is None:
        await flow.close_gone(manager, message)
        return
    service = ctx.applications(manager)
    result = await service.submit(app_id, ctx.person_id(manager), today=ctx.today(manager))
    if result.outcome is SubmitOutcome.SUBMITTED:
        ctx.outbox_queued(manager)  # the staff groups' new-submission alert
    if result.ok:
        program = service.registry.get(result.view.program_id) if result.view else None
        await flow.close_with(manager, message, submission_confirmation(
            program, result.tracking_code or "", ctx.locale()
        ))
        # Only once the words went out: a process that dies before this is caught up at start.
        await service.mark_confirmed(app_id)
        return
    if result.outcome is SubmitOutcome.INCOMPLETE:
        loaded = await dialog_data.load(manager)
        questions = loaded[1].questions if loaded else ()
        numbers = [i + 1 for i, q in enumerate(questions) if q.id in result.missing_answers]
        set_notice(
            manager, "incomplete", course=result.missing_course, answers=numbers,
            documents=list(result.missing_documents),
        )
    elif result.outcome is SubmitOutcome.COURSE_CLOSED:
        loaded = await dialog_data.load(manager)
        if loaded is not None:
            await flow.enter_courses(manager, loaded[0])
            manager.dialog_data[dialog_data.EDITING_KEY] = True
        set_notice(manager, "course_closed")
    elif result.outcome is SubmitOutcome.NOT_ELIGIBLE:
        manager.dialog_data[UNMET_KEY] = [rule.to_dict() for rule in result.unmet]
        await manager.switch_to(ApplySG.not_eligible)
    elif result.outcome is SubmitOutcome.NOT_ALLOWED_NOW:
        set_notice(manager, "not_allowed_now")
    else:
        await flow.close_gone(manager, message)

