"""One document on the card: view it (the bot sends the stored file; the service writes the
audit row), accept it, or reject it with a typed reason."""

from __future__ import annotations

from typing import Any

from aiogram import Router
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery
from aiogram.utils.i18n import gettext

from bot.handlers.staff.cards import code_of
from bot.handlers.staff.desk import Desk
from bot.handlers.staff.filters import IsStaff
from bot.handlers.staff.inputs import ask_for_text
from bot.handlers.staff.screens import Refused, thread_of
from bot.i18n import current_locale
from bot.keyboards.staff import StaffDocCb
from bot.platforms.profiles import profile_of
from bot.texts.applications import document_name

EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def build_documents_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(on_document_button, StaffDocCb.filter(), IsStaff())
    return router


async def on_document_button(
    callback: CallbackQuery, callback_data: StaffDocCb, state: FSMContext, **data: Any
) -> None:
    desk = Desk.of(data)
    if callback_data.action in ("accept", "reject") and await desk.current_or_redraw(
        callback, callback_data.app, callback_data.pack()
    ) is None:
        return
    if callback_data.action == "view":
        await _view(desk, callback, callback_data)
    elif callback_data.action == "accept":
        await _accept(desk, callback, callback_data)
    elif callback_data.action == "reject":
        await _ask_reason(desk, callback, callback_data, state)
    else:
        await callback.answer(gettext("This button no longer works. Please use /queue."))


async def _view(desk: Desk, callback: CallbackQuery, cb: StaffDocCb) -> None:
    # The service is the authority (provinces) and writes the audit row before handing bytes.
    opened = await desk.run(
        lambda: desk.applications.open_document(cb.doc, desk.staff), f"document {cb.doc}"
    )
    if isinstance(opened, Refused):
        await callback.answer(opened.text, show_alert=True)
        return
    card = await desk.card(cb.app)
    program_id = None if isinstance(card, Refused) else card.view.program_id
    name = document_name(desk.registry, program_id, opened.kind, current_locale())
    caption = name if isinstance(card, Refused) else (
        f"{name} — {code_of(card.view.tracking_code, card.view.id)}"
    )
    if len(opened.data) > profile_of(desk.bot).max_upload_bytes:
        await callback.answer(gettext("This file is too big to send here."), show_alert=True)
        return
    # A neutral file name: never the applicant's own (it may carry personal details).
    tracking = None if isinstance(card, Refused) else card.view.tracking_code
    filename = f"{tracking or cb.app}-{opened.kind}.{EXTENSIONS.get(opened.mime, 'bin')}"
    await callback.answer()
    message = callback.message
    chat_id = message.chat.id if message is not None else callback.from_user.id
    await desk.bot.send_document(
        chat_id=chat_id,
        document=BufferedInputFile(opened.data, filename=filename),
        caption=caption,
        message_thread_id=thread_of(desk.bot, message),
    )


async def _accept(desk: Desk, callback: CallbackQuery, cb: StaffDocCb) -> None:
    await desk.act(
        callback, cb.app, lambda: desk.applications.accept_document(cb.doc, desk.staff),
        f"document {cb.doc}",
    )


async def _ask_reason(
    desk: Desk, callback: CallbackQuery, cb: StaffDocCb, state: FSMContext
) -> None:
    card = await desk.card_or_refuse(callback, cb.app)
    if card is None:
        return
    document = next((d for d in card.view.documents if d.id == cb.doc), None)
    if document is None:
        await callback.answer(gettext("This document is no longer on the card. Please refresh."))
        return
    name = document_name(
        desk.registry, card.view.program_id, document.kind, current_locale()
    )
    prompt = gettext(
        "Type the reason for rejecting «{document}» of {code}. The applicant will read it."
    ).format(document=name, code=code_of(card.view.tracking_code, card.view.id))
    await ask_for_text(
        desk.bot, callback, state, prompt, action="reject_doc", app=cb.app, doc=cb.doc
    )
