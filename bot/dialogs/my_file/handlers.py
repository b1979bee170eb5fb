"""My file callbacks: open an application, upload a requested paper, send them back, withdraw.

Every application id and document kind from a button is re-checked by the service as this
person's own; a forged one gets a polite answer and changes nothing."""

from __future__ import annotations

from typing import Any

from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext
from aiogram_dialog import DialogManager, ShowMode
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button

from bot.dialogs import context as ctx
from bot.dialogs.applications import entry as application
from bot.dialogs.handoff import hand_off
from bot.dialogs.my_file.dialog_data import KIND_KEY, REASON_KEY
from bot.dialogs.my_file.states import MyFileSG
from services.applications import (
    DocumentOutcome,
    ForbiddenTransition,
    SubmitOutcome,
)
from services.text import normalize_text

REASON_MAX_CHARS = 300


def refuse_text() -> str:
    return gettext("This application is not in your file. Please use the menu.")


async def on_application(
    callback: CallbackQuery, _w: Any, manager: DialogManager, item_id: str
) -> None:
    app_id = application.parse_id(item_id)
    view = (
        await ctx.applications(manager).get_for_person(app_id, ctx.person_id(manager))
        if app_id is not None else None
    )
    if view is None:
        # Someone else's (or a made-up) application: say so, show nothing of it.
        await callback.answer(refuse_text(), show_alert=True)
        manager.show_mode = ShowMode.NO_UPDATE
        return
    application.clear_notice(manager)
    manager.dialog_data[application.APP_KEY] = view.id
    await manager.switch_to(MyFileSG.detail)


async def on_back_to_list(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    application.clear_notice(manager)
    manager.dialog_data.pop(application.APP_KEY, None)
    await manager.switch_to(MyFileSG.listing)


async def on_continue_draft(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    view = await application.own(manager)
    if view is None:
        await on_back_to_list(_c, _b, manager)
        return
    await application.start_apply(manager, program_id=view.program_id)


async def on_upload_kind(
    callback: CallbackQuery, _w: Any, manager: DialogManager, item_id: str
) -> None:
    view = await application.own(manager)
    if view is None or item_id not in view.open_upload_kinds:
        await callback.answer(
            gettext("This document is not waiting for an upload now."), show_alert=True
        )
        manager.show_mode = ShowMode.NO_UPDATE
        return
    application.clear_notice(manager)
    manager.dialog_data[KIND_KEY] = item_id
    await manager.switch_to(MyFileSG.upload)


async def on_upload(message: Message, _w: MessageInput, manager: DialogManager) -> None:
    view = await application.own(manager)
    program = ctx.applications(manager).registry.get(view.program_id) if view else None
    requirement = program.document(str(manager.dialog_data.get(KIND_KEY))) if program else None
    if view is None or requirement is None:
        await manager.switch_to(MyFileSG.listing)
        return
    outcome = await application.take_upload(manager, message, view.id, requirement)
    if outcome == DocumentOutcome.ACCEPTED:
        manager.dialog_data.pop(KIND_KEY, None)
        await manager.switch_to(MyFileSG.detail)


async def on_upload_back(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    application.clear_notice(manager)
    manager.dialog_data.pop(KIND_KEY, None)
    await manager.switch_to(MyFileSG.detail)


async def on_send_documents(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    app_id = application.app_id(manager)
    if app_id is None:
        return
    result = await ctx.applications(manager).send_documents(app_id, ctx.person_id(manager))
    if result.outcome is SubmitOutcome.SUBMITTED:
        application.set_notice(manager, "documents_sent")
        ctx.outbox_queued(manager)  # the staff groups' alert
    elif result.outcome is SubmitOutcome.INCOMPLETE:
        application.set_notice(manager, "incomplete", documents=list(result.missing_documents))
    elif result.outcome is SubmitOutcome.ALREADY_SUBMITTED:
        application.set_notice(manager, "documents_sent")
    else:
        application.set_notice(manager, "not_found")


async def on_withdraw_ask(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    application.clear_notice(manager)
    manager.dialog_data.pop(REASON_KEY, None)
    await manager.switch_to(MyFileSG.withdraw)


async def on_withdraw_reason(message: Message, _w: MessageInput, manager: DialogManager) -> None:
    text = normalize_text(message.text or "")
    if not text:
        application.set_notice(manager, "reason_text")
        return
    application.clear_notice(manager)
    manager.dialog_data[REASON_KEY] = text[:REASON_MAX_CHARS]


async def on_withdraw_yes(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    app_id = application.app_id(manager)
    reason = manager.dialog_data.pop(REASON_KEY, None)
    try:
        view = (
            await ctx.applications(manager).withdraw(
                app_id, ctx.person_id(manager), reason if isinstance(reason, str) else None
            )
            if app_id is not None else None
        )
    except ForbiddenTransition:
        application.set_notice(manager, "cannot_withdraw")
        await manager.switch_to(MyFileSG.detail)
        return
    application.set_notice(manager, "withdrawn" if view is not None else "not_found")
    if view is not None:
        ctx.outbox_queued(manager)  # the staff groups' alert
    await manager.switch_to(MyFileSG.detail if view is not None else MyFileSG.listing)


async def on_withdraw_no(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    manager.dialog_data.pop(REASON_KEY, None)
    application.clear_notice(manager)
    await manager.switch_to(MyFileSG.detail)


async def on_discard_ask(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    application.clear_notice(manager)
    await manager.switch_to(MyFileSG.discard)


async def on_discard_yes(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    app_id = application.app_id(manager)
    # The service re-checks that it is this person's draft (never sent meanwhile).
    discarded = app_id is not None and await ctx.applications(manager).discard(
        app_id, ctx.person_id(manager)
    )
    if not discarded:
        application.set_notice(manager, "not_found")
        await manager.switch_to(MyFileSG.detail)
        return
    application.set_notice(manager, "discarded")
    manager.dialog_data.pop(application.APP_KEY, None)
    await manager.switch_to(MyFileSG.listing)


async def on_discard_no(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    application.clear_notice(manager)
    await manager.switch_to(MyFileSG.detail)


async def on_handoff(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    view = await application.own(manager)
    if view is None:
        await on_back_to_list(callback, _b, manager)
        return
    await hand_off(callback, manager, "application", {"application_id": view.id})
