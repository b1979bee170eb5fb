"""Reusing a document already accepted for another of the person's applications: a button on
the upload screen names the file, a confirmation screen says exactly which file it is (kind,
date received, the application it was accepted for), and only «yes» adds it."""

from __future__ import annotations

from typing import Any

from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext
from aiogram_dialog import DialogManager
from aiogram_dialog.widgets.kbd import Button

from bot.dialogs import context as ctx
from bot.dialogs.applications import dialog_data
from bot.dialogs.applications.dialog_data import clear_notice, set_upload_notice
from bot.dialogs.applications.states import ApplySG
from bot.texts.applications import UNKNOWN_PROGRAM, program_name, tracking
from services.applications import ApplicationView, DocumentOutcome, ReusableDocument
from services.jalali import format_jalali, local_date

REUSE_KEY = "reuse_id"


async def _reusable(manager: DialogManager, view: ApplicationView, kind: str) -> list[Any]:
    return await ctx.applications(manager).reusable_documents(
        view.id, ctx.person_id(manager), kind
    )


def _received(manager: DialogManager, document: ReusableDocument) -> str:
    return format_jalali(local_date(document.received_at, ctx.timezone(manager)), ctx.locale())


def _program(manager: DialogManager, document: ReusableDocument) -> str:
    registry = ctx.applications(manager).registry
    return program_name(registry.get(document.program_id), ctx.locale(), UNKNOWN_PROGRAM,
                        short=True)


async def reuse_items(
    manager: DialogManager, view: ApplicationView, kind: str
) -> list[tuple[str, str]]:
    """The upload screen's «use the file you sent before» buttons."""
    return [
        (gettext("♻️ Use the file received {date} ({program})").format(
            date=_received(manager, d), program=_program(manager, d)), str(d.id))
        for d in await _reusable(manager, view, kind)
    ]


async def reuse_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    loaded = await dialog_data.load(dialog_manager)
    kind = str(dialog_manager.dialog_data.get(dialog_data.KIND_KEY))
    chosen = dialog_manager.dialog_data.get(REUSE_KEY)
    document = None
    if loaded is not None:
        found = await _reusable(dialog_manager, loaded[0], kind)
        document = next((d for d in found if d.id == chosen), None)
    requirement = loaded[1].document(kind) if loaded else None
    if document is None or requirement is None:
        return {"here": False, "gone": True, "name": "", "date": "", "program": "", "code": ""}
    return {
        "here": True,
        "gone": False,
        "name": requirement.name.for_locale(ctx.locale()),
        "date": _received(dialog_manager, document),
        "program": _program(dialog_manager, document),
        "code": tracking(document.tracking_code, ctx.locale()),
    }


async def on_reuse_pick(
    _c: CallbackQuery, _w: Any, manager: DialogManager, item_id: str
) -> None:
    source = dialog_data.parse_id(item_id)
    if source is None:
        return
    clear_notice(manager)
    manager.dialog_data[REUSE_KEY] = source
    await manager.switch_to(ApplySG.reuse)


async def on_reuse_yes(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    app_id = dialog_data.app_id(manager)
    source = manager.dialog_data.pop(REUSE_KEY, None)
    kind = str(manager.dialog_data.get(dialog_data.KIND_KEY))
    outcome = DocumentOutcome.NOT_ALLOWED_NOW
    if app_id is not None and isinstance(source, int):
        # The service checks again that the file is this person's, accepted, and of this kind.
        outcome = await ctx.applications(manager).reuse_document(
            app_id, ctx.person_id(manager), kind, source
        )
    set_upload_notice(manager, outcome.value, kind)
    await manager.switch_to(ApplySG.upload)


async def on_reuse_no(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    manager.dialog_data.pop(REUSE_KEY, None)
    clear_notice(manager)
    await manager.switch_to(ApplySG.upload)
