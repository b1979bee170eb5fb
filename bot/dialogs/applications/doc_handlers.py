"""Apply form callbacks, second half: the document checklist, uploads, the review and sending."""

from __future__ import annotations

from typing import Any

from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext
from aiogram_dialog import DialogManager, ShowMode
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button

from bot.dialogs import context as ctx
from bot.dialogs.applications import current, flow
from bot.dialogs.applications.handlers import UNMET_KEY
from bot.dialogs.applications.notices import clear_notice, set_notice
from bot.dialogs.applications.states import ApplySG
from bot.dialogs.applications.uploads import seen_album, take_upload
from bot.dialogs.common import callback_message
from bot.texts.applications import program_name, tracking
from services.applications import DocumentOutcome, SubmitOutcome

# --- the checklist ----------------------------------------------------------------------------


async def on_document_kind(
    callback: CallbackQuery, _w: Any, manager: DialogManager, item_id: str
) -> None:
    loaded = await flow.load_or_close(manager, callback_message(callback))
    if loaded is None:
        return
    view, _program = loaded
    kinds = {r.kind for r in ctx.applications(manager).required_documents(view)}
    if item_id not in kinds:
        set_notice(manager, "not_found")
        return
    clear_notice(manager)
    manager.dialog_data[flow.KIND_KEY] = item_id
    await manager.switch_to(ApplySG.upload)


async def on_checklist_message(message: Message, _w: MessageInput, manager: DialogManager) -> None:
    """A file sent without choosing which paper it is: ask which, keep nothing."""
    album = seen_album(manager, message)
    if album is not None and album.silent:
        manager.show_mode = ShowMode.NO_UPDATE
        return
    set_notice(manager, "pick_document_first")


async def on_documents_done(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    clear_notice(manager)
    await flow.go_review(manager)


async def on_documents_back(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    clear_notice(manager)
    if flow.is_editing(manager):
        await flow.go_review(manager)
        return
    loaded = await current.load(manager)
    if loaded is not None and loaded[1].questions:
        await flow.go_question(manager, len(loaded[1].questions) - 1)
    elif loaded is not None:
        await flow.enter_courses(manager, loaded[0])


# --- one document kind ------------------------------------------------------------------------


async def on_upload(message: Message, _w: MessageInput, manager: DialogManager) -> None:
    loaded = await flow.load_or_close(manager, message)
    if loaded is None:
        return
    view, program = loaded
    requirement = program.document(str(manager.dialog_data.get(flow.KIND_KEY)))
    if requirement is None:
        await manager.switch_to(ApplySG.documents)
        return
    code = await take_upload(manager, message, view.id, requirement)
    if code == DocumentOutcome.NOT_FOUND:
        await flow.close_gone(manager, message)
        return
    if code != DocumentOutcome.ACCEPTED:
        return  # the same upload screen, the reason on top (or nothing new: a later album part)
    # Room for another page of the same paper (e.g. the back of a card): stay; else the list.
    after = await current.load(manager)
    count = len(after[0].documents_of(requirement.kind)) if after else requirement.max_count
    if count >= requirement.max_count:
        await manager.switch_to(ApplySG.documents)


async def on_remove_document(
    callback: CallbackQuery, _w: Any, manager: DialogManager, item_id: str
) -> None:
    app_id = current.app_id(manager)
    document_id = current.parse_id(item_id)
    removed = (
        app_id is not None
        and document_id is not None
        and await ctx.applications(manager).remove_document(
            app_id, ctx.person_id(manager), document_id
        )
    )
    set_notice(manager, "removed" if removed else "not_removed")


async def on_upload_done(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    clear_notice(manager)
    manager.dialog_data.pop(flow.KIND_KEY, None)
    await manager.switch_to(ApplySG.documents)


# --- review and send --------------------------------------------------------------------------


async def on_edit_question(
    _c: CallbackQuery, _w: Any, manager: DialogManager, item_id: str
) -> None:
    loaded = await current.load(manager)
    index = current.parse_id(item_id)
    if loaded is None or index is None or index >= len(loaded[1].questions):
        return
    clear_notice(manager)
    manager.dialog_data[flow.EDITING_KEY] = True
    await flow.go_question(manager, index)


async def on_edit_course(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    loaded = await current.load(manager)
    if loaded is None:
        return
    clear_notice(manager)
    await flow.enter_courses(manager, loaded[0])
    manager.dialog_data[flow.EDITING_KEY] = True


async def on_edit_documents(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    clear_notice(manager)
    manager.dialog_data[flow.EDITING_KEY] = True
    await manager.switch_to(ApplySG.documents)


async def on_submit(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    app_id = current.app_id(manager)
    message = callback_message(callback)
    if app_id is None:
        await flow.close_gone(manager, message)
        return
    service = ctx.applications(manager)
    result = await service.submit(app_id, ctx.person_id(manager), today=ctx.today(manager))
    if result.ok:
        program = service.registry.get(result.view.program_id) if result.view else None
        name = program_name(program, ctx.locale())
        await flow.close_with(manager, message, "\n".join([
            gettext("✅ Your application to {program} has been sent.").format(program=name),
            gettext("Tracking code: {code}").format(code=tracking(result.tracking_code,
                                                                  ctx.locale())),
            gettext("Keep this code. You can follow your application in «📂 My file»."),
        ]))
        return
    if result.outcome is SubmitOutcome.INCOMPLETE:
        loaded = await current.load(manager)
        questions = loaded[1].questions if loaded else ()
        numbers = [i + 1 for i, q in enumerate(questions) if q.id in result.missing_answers]
        set_notice(
            manager, "incomplete", course=result.missing_course, answers=numbers,
            documents=list(result.missing_documents),
        )
    elif result.outcome is SubmitOutcome.COURSE_CLOSED:
        loaded = await current.load(manager)
        if loaded is not None:
            await flow.enter_courses(manager, loaded[0])
            manager.dialog_data[flow.EDITING_KEY] = True
        set_notice(manager, "course_closed")
    elif result.outcome is SubmitOutcome.NOT_ELIGIBLE:
        manager.dialog_data[UNMET_KEY] = [rule.to_dict() for rule in result.unmet]
        await manager.switch_to(ApplySG.not_eligible)
    elif result.outcome is SubmitOutcome.NOT_ALLOWED_NOW:
        set_notice(manager, "not_allowed_now")
    else:
        await flow.close_gone(manager, message)

