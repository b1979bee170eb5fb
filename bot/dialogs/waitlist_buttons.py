"""«🔔 Tell me when one opens» where a person meets no open course: an empty list or search, a
full or started course's card (this course, or any of its standard), a course link whose course
is closed, a counseling field with nothing near home. One tap joins; the answer says exactly
what they will be told about and how to stop. Button data is never trusted: the filter, the
course and the field are read from the dialog and checked by the service."""

from __future__ import annotations

from typing import Any

from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext
from aiogram_dialog import DialogManager, ShowMode
from aiogram_dialog.widgets.kbd import Button

from bot.dialogs import context as ctx
from bot.dialogs.courses.dialog_data import CLOSED_LINK_KEY, current_code, current_filter
from bot.dialogs.widgets import Tr
from bot.texts.waitlists import joined_text
from services.catalog import is_course_code_shaped
from services.waitlists import JoinResult, WaitlistService


def service(manager: DialogManager) -> WaitlistService:
    return ctx.services(manager).waitlist_service


async def tell_joined(callback: CallbackQuery, manager: DialogManager, result: JoinResult) -> None:
    await callback.answer()
    if isinstance(callback.message, Message):
        await callback.message.answer(joined_text(result))
    # The screen comes again under the answer, so its buttons stay at hand.
    manager.show_mode = ShowMode.SEND


async def on_wait_for_search(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    result = await service(manager).join_search(ctx.person_id(manager), current_filter(manager))
    await tell_joined(callback, manager, result)


async def _wait_for_course(
    callback: CallbackQuery, manager: DialogManager, code: object, same_standard: bool
) -> None:
    if not isinstance(code, str) or not is_course_code_shaped(code):
        await callback.answer(gettext("This button no longer works. Please use the menu."))
        return
    result = await service(manager).join_course(
        ctx.person_id(manager), code, same_standard=same_standard
    )
    await tell_joined(callback, manager, result)


async def on_wait_for_course(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    await _wait_for_course(callback, manager, current_code(manager), False)


async def on_wait_for_standard(
    callback: CallbackQuery, _b: Button, manager: DialogManager
) -> None:
    await _wait_for_course(callback, manager, current_code(manager), True)


async def on_wait_for_linked(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    await _wait_for_course(callback, manager, manager.dialog_data.get(CLOSED_LINK_KEY), False)


async def on_wait_for_field(
    callback: CallbackQuery, _w: Any, manager: DialogManager, field_id: str
) -> None:
    person_id = ctx.person_id(manager)
    province = await ctx.services(manager).counseling_service.home_province(person_id)
    result = await service(manager).join_field(person_id, field_id, province)
    await tell_joined(callback, manager, result)


def wait_button(button_id: str, on_click: Any, when: str) -> Button:
    return Button(Tr("🔔 Tell me when one opens"), id=button_id, on_click=on_click, when=when)
