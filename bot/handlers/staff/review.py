"""The application card and its actions: take, request documents, approve, reject, enrolled,
completed. The service decides what is allowed (provinces, status machine) and records it;
here a refusal becomes a polite answer and a success redraws the card and tells the beneficiary."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext

from bot.handlers.staff.cards import code_of
from bot.handlers.staff.desk import Desk
from bot.handlers.staff.filters import IsStaff
from bot.handlers.staff.inputs import ask_for_text, forget_input
from bot.handlers.staff.screens import Refused, send, show
from bot.i18n import N_, current_locale
from bot.keyboards.staff import (
    StaffAppCb,
    StaffKindCb,
    confirm_keyboard,
    keep_or_replace_keyboard,
    kinds_keyboard,
)
from bot.texts.applications import document_name
from services.applications import Notification, StaffCard

KINDS_KEY = "staff_kinds"


def build_review_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(on_app_button, StaffAppCb.filter(), IsStaff())
    router.callback_query.register(on_kind_button, StaffKindCb.filter(), IsStaff())
    return router


async def on_app_button(
    callback: CallbackQuery, callback_data: StaffAppCb, state: FSMContext, **data: Any
) -> None:
    desk = Desk.of(data)
    handler = _ACTIONS.get(callback_data.action)
    if handler is None:
        await callback.answer(gettext("This button no longer works. Please use /queue."))
        return
    if callback_data.action != "open":
        # A confirmation's «yes» stands for the card's own button of that action.
        pressed = StaffAppCb(action=callback_data.action, app=callback_data.app).pack()
        if await desk.current_or_redraw(callback, callback_data.app, pressed) is None:
            return
    await handler(desk, callback, callback_data, state)


async def _open(desk: Desk, callback: CallbackQuery, cb: StaffAppCb, state: FSMContext) -> None:
    screen = await desk.card_screen(cb.app)
    if isinstance(screen, Refused):
        await callback.answer(screen.text, show_alert=True)
        return
    await callback.answer()
    await show(desk.bot, callback, *screen)


async def _take(desk: Desk, callback: CallbackQuery, cb: StaffAppCb, state: FSMContext) -> None:
    await desk.act(
        callback, cb.app, lambda: desk.applications.take(cb.app, desk.staff),
        f"application {cb.app}",
    )


async def _accept_all(
    desk: Desk, callback: CallbackQuery, cb: StaffAppCb, state: FSMContext
) -> None:
    await desk.act(
        callback, cb.app, lambda: desk.applications.accept_received_documents(cb.app, desk.staff),
        f"application {cb.app}",
    )


def _confirmed(
    question: str, yes: str, call: Callable[[Desk, int], Awaitable[Notification]]
) -> Callable[[Desk, CallbackQuery, StaffAppCb, FSMContext], Awaitable[None]]:
    """A step the beneficiary is told about asks once more before it happens."""

    async def handler(
        desk: Desk, callback: CallbackQuery, cb: StaffAppCb, state: FSMContext
    ) -> None:
        if cb.sure:
            await desk.act(callback, cb.app, lambda: call(desk, cb.app), f"application {cb.app}")
            return
        card = await desk.card_or_refuse(callback, cb.app)
        if card is None:
            return
        await callback.answer()
        text = gettext(question).format(code=code_of(card.view.tracking_code, cb.app))
        text += "\n" + gettext("The applicant will be told on their messenger.")
        await show(desk.bot, callback, text, confirm_keyboard(cb.action, cb.app, gettext(yes)))

    return handler


async def _reject(desk: Desk, callback: CallbackQuery, cb: StaffAppCb, state: FSMContext) -> None:
    card = await desk.card_or_refuse(callback, cb.app)
    if card is None:
        return
    prompt = gettext(
        "Type the reason for not approving {code}. The applicant will read it."
    ).format(code=code_of(card.view.tracking_code, cb.app))
    await ask_for_text(desk.bot, callback, state, prompt, action="reject_app", app=cb.app)


async def _request(
    desk: Desk, callback: CallbackQuery, cb: StaffAppCb, state: FSMContext
) -> None:
    card = await desk.card_or_refuse(callback, cb.app)
    if card is None:
        return
    await forget_input(state)
    await state.update_data({KINDS_KEY: {"app": cb.app, "kinds": []}})
    await callback.answer()
    await send(desk.bot, callback, _kinds_prompt(card), _kinds_keyboard(desk, card, []))


async def on_kind_button(
    callback: CallbackQuery, callback_data: StaffKindCb, state: FSMContext, **data: Any
) -> None:
    desk = Desk.of(data)
    card = await desk.card_or_refuse(callback, callback_data.app)
    if card is None:
        return
    picking = (await state.get_data()).get(KINDS_KEY)
    if not isinstance(picking, dict) or picking.get("app") != callback_data.app:
        # Someone else's list in the group, or an old one: start afresh from the card.
        await callback.answer(gettext("Please press «📎 Request documents» on the card again."))
        return
    chosen = [str(kind) for kind in picking.get("kinds", [])]
    offered = {doc.kind for doc in desk.applications.required_documents(card.view)}
    if not callback_data.kind:  # «Continue», or the answer to «keep or replace?»
        if not chosen:
            await callback.answer(gettext("Tick at least one document first."))
            return
        held = desk.applications.kinds_with_files(card.view, chosen)
        if held and callback_data.mode not in ("add", "replace"):
            full = desk.applications.kinds_without_room(card.view, chosen)
            await callback.answer()
            await show(desk.bot, callback, _keep_prompt(desk, card, held, full),
                       keep_or_replace_keyboard(card.view.id, can_add=not full))
            return
        await state.update_data({KINDS_KEY: None})
        prompt = gettext(
            "Type a note for the applicant (what exactly is needed), or press «➖ No note»."
        )
        await ask_for_text(
            desk.bot, callback, state, prompt,
            action="request_docs", app=callback_data.app, kinds=chosen, can_skip=True,
            replace=callback_data.mode == "replace",
        )
        return
    if callback_data.kind not in offered:
        await callback.answer(gettext("This button no longer works. Please use /queue."))
        return
    if callback_data.kind in chosen:
        chosen.remove(callback_data.kind)
    else:
        chosen.append(callback_data.kind)
    await state.update_data({KINDS_KEY: {"app": callback_data.app, "kinds": chosen}})
    await callback.answer()
    await show(desk.bot, callback, _kinds_prompt(card), _kinds_keyboard(desk, card, chosen))


def _kinds_prompt(card: StaffCard) -> str:
    return gettext(
        "Which documents should the applicant of {code} send? Tick them, then press Continue."
    ).format(code=code_of(card.view.tracking_code, card.view.id))


def _keep_prompt(desk: Desk, card: StaffCard, held: list[str], full: list[str]) -> str:
    locale = current_locale()

    def names(kinds: list[str]) -> str:
        return "، ".join(
            document_name(desk.registry, card.view.program_id, kind, locale) for kind in kinds
        )

    text = gettext(
        "Files of {names} are already in. Should the applicant send more files in addition "
        "to them, or new files to replace them?"
    ).format(names=names(held))
    if full:
        text += "\n" + gettext(
            "{names} already has as many files as allowed: new files can only replace them."
        ).format(names=names(full))
    return text


def _kinds_keyboard(desk: Desk, card: StaffCard, chosen: list[str]) -> Any:
    locale = current_locale()
    kinds = [
        (doc.kind, document_name(desk.registry, card.view.program_id, doc.kind, locale))
        for doc in desk.applications.required_documents(card.view)
    ]
    return kinds_keyboard(card.view.id, kinds, chosen)


async def _message(
    desk: Desk, callback: CallbackQuery, cb: StaffAppCb, state: FSMContext
) -> None:
    card = await desk.card_or_refuse(callback, cb.app)
    if card is None:
        return
    prompt = gettext(
        "Type your message to the applicant of {code}. It opens a conversation with them."
    ).format(code=code_of(card.view.tracking_code, cb.app))
    await ask_for_text(desk.bot, callback, state, prompt, action="message_app", app=cb.app)


_ACTIONS: dict[str, Callable[[Desk, CallbackQuery, StaffAppCb, FSMContext], Awaitable[None]]] = {
    "open": _open,
    "message": _message,
    "take": _take,
    "accept_all": _accept_all,
    "reject": _reject,
    "request": _request,
    "approve": _confirmed(
        N_("Approve application {code}?"), N_("✅ Yes, approve"),
        lambda desk, app: desk.applications.approve(app, desk.staff),
    ),
    "enrolled": _confirmed(
        N_("Mark application {code} as enrolled in its course?"), N_("🎓 Yes, enrolled"),
        lambda desk, app: desk.applications.mark_enrolled(app, desk.staff),
    ),
    "completed": _confirmed(
        N_("Mark the course of application {code} as completed?"), N_("🏁 Yes, completed"),
        lambda desk, app: desk.applications.mark_completed(app, desk.staff),
    ),
}
