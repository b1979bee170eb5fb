"""Reasons and notes typed after pressing a button (reject, reject a document, request documents).

The pending input lives in the conversation state of (chat, user): in the staff group only the
member who pressed the button is waiting to type, and a colleague's message is never taken for
their reason. The default FSM slot is free (dialogs keep their stacks elsewhere); only our own key
is written, so a staff member's half-filled registration in the same private chat is kept.
A pending input expires after a while, so a forgotten one never swallows a later chat message."""

from __future__ import annotations

import logging
import time
from typing import Any

from aiogram import Bot, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext

from bot.handlers.staff.conversation import message_applicant
from bot.handlers.staff.desk import Desk, done_text
from bot.handlers.staff.filters import IsStaff
from bot.handlers.staff.screens import Refused, send
from bot.handlers.staff.states import StaffInput
from bot.keyboards.staff import StaffInputCb, input_keyboard
from services.applications import Notification
from services.text import normalize_text

logger = logging.getLogger(__name__)

INPUT_KEY = "staff_input"
INPUT_TTL_SECONDS = 15 * 60
MAX_REASON_LENGTH = 500


def build_inputs_router() -> Router:
    router = Router(name=__name__)
    waiting = StateFilter(StaffInput.text)
    router.message.register(on_cancel_input, waiting, Command("cancel"), IsStaff())
    router.message.register(on_typed, waiting, IsStaff())
    router.callback_query.register(on_input_button, StaffInputCb.filter(), IsStaff())
    return router


async def ask_for_text(
    bot: Bot,
    callback: CallbackQuery,
    state: FSMContext,
    prompt: str,
    *,
    action: str,
    app: int,
    doc: int | None = None,
    kinds: list[str] | None = None,
    replace: bool = False,
    can_skip: bool = False,
) -> None:
    await state.set_state(StaffInput.text)
    await state.update_data({INPUT_KEY: {
        "action": action, "app": app, "doc": doc, "kinds": kinds or [], "replace": replace,
        "at": time.time(),
    }})
    await callback.answer()
    # In the group, say whose turn it is: several reviewers may share the chat.
    who = callback.from_user.first_name if _in_group(callback) else ""
    text = f"{who}: {prompt}" if who else prompt
    await send(bot, callback, text, input_keyboard(can_skip=can_skip))


async def forget_input(state: FSMContext) -> None:
    if await state.get_state() == StaffInput.text.state:
        await state.set_state(None)
    data = await state.get_data()
    if data.get(INPUT_KEY) is not None or data.get("staff_kinds") is not None:
        await state.update_data({INPUT_KEY: None, "staff_kinds": None})


async def _pending(state: FSMContext) -> dict[str, Any] | None:
    pending = (await state.get_data()).get(INPUT_KEY)
    if not isinstance(pending, dict):
        return None
    if time.time() - float(pending.get("at", 0)) > INPUT_TTL_SECONDS:
        await forget_input(state)
        return None
    return pending


async def on_cancel_input(message: Message, state: FSMContext) -> None:
    await forget_input(state)
    await message.answer(gettext("Stopped. Nothing was changed."))


async def on_typed(message: Message, state: FSMContext, **data: Any) -> None:
    if message.text and message.text.startswith("/"):
        raise SkipHandler  # another command: let its handler (or nobody) take it
    pending = await _pending(state)
    if pending is None:
        raise SkipHandler  # expired: this message is not an answer to anything of ours
    text = normalize_text(message.text or "")
    if not text:
        await message.answer(gettext("Please type it as text, or press ✖️ Cancel."))
        return
    if len(text) > MAX_REASON_LENGTH:
        await message.answer(
            gettext("This is too long. Please keep it under {limit} characters.").format(
                limit=MAX_REASON_LENGTH
            )
        )
        return
    await forget_input(state)
    if pending["action"] == "message_app":
        await message_applicant(message, int(pending["app"]), text, data)
        return
    await _complete(Desk.of(data), message, pending, text)


async def on_input_button(
    callback: CallbackQuery, callback_data: StaffInputCb, state: FSMContext, **data: Any
) -> None:
    pending = await _pending(state)
    if pending is None:
        await callback.answer(gettext("Nothing is waiting for your text."))
        return
    if callback_data.action == "skip" and pending["action"] == "request_docs":
        await forget_input(state)
        await callback.answer()
        await _complete(Desk.of(data), callback, pending, "")
        return
    await forget_input(state)
    await callback.answer(gettext("Stopped. Nothing was changed."))


async def _complete(
    desk: Desk, where: Message | CallbackQuery, pending: dict[str, Any], text: str
) -> None:
    app_id = int(pending["app"])
    service, staff = desk.applications, desk.staff
    result: Notification | Refused
    if pending["action"] == "reject_app":
        result = await desk.run(
            lambda: service.reject(app_id, staff, text), f"application {app_id}"
        )
    elif pending["action"] == "reject_doc":
        doc_id = int(pending["doc"])
        result = await desk.run(
            lambda: service.reject_document(doc_id, staff, text), f"document {doc_id}"
        )
    elif pending["action"] == "request_docs":
        kinds = [str(kind) for kind in pending["kinds"]]
        replace = bool(pending.get("replace"))
        result = await desk.run(
            lambda: service.request_documents(app_id, staff, kinds, text, replace=replace),
            f"application {app_id}",
        )
    else:  # written by an older version of this code
        logger.warning("unknown pending staff input %r dropped", pending["action"])
        return
    if isinstance(result, Refused):
        await send(desk.bot, where, result.text, None)
        return
    reached = await desk.tell(result)
    screen = await desk.card_screen(app_id)
    await send(desk.bot, where, done_text(reached), None)
    if not isinstance(screen, Refused):
        await send(desk.bot, where, *screen)


def _in_group(callback: CallbackQuery) -> bool:
    return callback.message is not None and callback.message.chat.type != "private"
