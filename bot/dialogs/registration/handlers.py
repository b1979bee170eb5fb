"""Registration callbacks: read the input, ask the validators, move the draft on. No rules here."""

from __future__ import annotations

from typing import Any

from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext
from aiogram_dialog import DialogManager
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button

from bot.dialogs import context as ctx
from bot.dialogs.registration.dialog_data import (
    ERROR_KEY,
    PROVINCE_PAGE_KEY,
    clear_draft,
    load_draft,
    save_draft,
)
from bot.dialogs.registration.finish import finish_registration
from bot.dialogs.registration.states import state_of
from bot.keyboards.main_menu import main_menu_keyboard
from services import validators
from services.accounts import AccountContext, AccountService
from services.education import EDUCATION_LEVELS
from services.jalali import today_in
from services.provinces import PROVINCES
from services.registration import (
    DECILES,
    GENDERS,
    STEPS,
    ProfileDraft,
    RegistrationService,
)
from services.text import isolate_commands

PROVINCES_PER_PAGE = 10
PROVINCE_PREV = "prov_prev"
PROVINCE_NEXT = "prov_next"
PROVINCE_FIRST = "prov_page"  # «۲ از ۴» between the arrows: back to the first page


async def _advance(manager: DialogManager, draft: ProfileDraft) -> None:
    manager.dialog_data.pop(ERROR_KEY, None)
    draft.step = draft.next_step()
    await save_draft(ctx.fsm(manager), draft)
    await manager.switch_to(state_of(draft.step))


async def _fail(manager: DialogManager, code: str) -> None:
    # The error is drawn at the top of the same question; what was entered stays in the draft.
    manager.dialog_data[ERROR_KEY] = code


# --- consent ---

async def on_consent_yes(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    draft = await load_draft(ctx.fsm(manager))
    draft.consent = True
    await _advance(manager, draft)


async def on_consent_no(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    await clear_draft(ctx.fsm(manager))
    manager.dialog_data.clear()
    await manager.done()
    if isinstance(callback.message, Message):
        await callback.message.answer(
            isolate_commands(gettext(
                "No problem: nothing about you has been stored. "
                "Whenever you like, send /start to begin again."
            )),
            reply_markup=main_menu_keyboard(registered=False),
        )


# --- free-text questions (and the phone, which may also come as a contact) ---

async def on_message(message: Message, _w: MessageInput, manager: DialogManager) -> None:
    draft = await load_draft(ctx.fsm(manager))
    step = _current_step(manager)
    if step == "phone" and message.contact is not None:
        try:
            draft.set_contact_phone(
                message.contact.phone_number,
                contact_user_id=message.contact.user_id,
                sender_id=message.from_user.id if message.from_user else None,
            )
        except validators.ValidationError as error:
            await _fail(manager, error.code)
            return
        await _advance(manager, draft)
        return
    if not message.text:
        await _fail(manager, "need_text" if step in TEXT_STEPS else "need_button")
        return
    if step not in TEXT_STEPS:
        await _fail(manager, "need_button")
        return
    try:
        TEXT_STEPS[step](draft, message.text)
    except validators.ValidationError as error:
        await _fail(manager, error.code)
        return
    if step == "national_code" and await _recognised(manager, draft):
        return
    await _advance(manager, draft)


async def _recognised(manager: DialogManager, draft: ProfileDraft) -> bool:
    """Registered already on the other messenger: link now and show the stored profile."""
    data = manager.middleware_data
    service: RegistrationService = data["registration_service"]
    account: AccountContext = data["account"]
    stored = await service.recognise(person_id=account.person_id, draft=draft)
    if stored is None:
        return False
    accounts: AccountService = data["account_service"]
    await accounts.refresh(account.platform, account.user_id)
    manager.dialog_data.pop(ERROR_KEY, None)
    await save_draft(ctx.fsm(manager), stored)
    await manager.switch_to(state_of("review"))
    return True


def _set_name(draft: ProfileDraft, text: str) -> None:
    draft.full_name = validators.validate_full_name(text)


def _set_national_code(draft: ProfileDraft, text: str) -> None:
    draft.national_code = validators.validate_national_code(text)


def _set_birth_date(draft: ProfileDraft, text: str) -> None:
    draft.birth_date = validators.validate_birth_date(text, today_in()).isoformat()


def _set_province(draft: ProfileDraft, text: str) -> None:
    draft.province = validators.validate_province(text)


def _set_city(draft: ProfileDraft, text: str) -> None:
    draft.city = validators.validate_city(text)


def _set_client_number(draft: ProfileDraft, text: str) -> None:
    if validators.says_dont_know(text):
        draft.relief_client_number, draft.relief_client_number_unknown = None, True
        return
    draft.relief_client_number = validators.validate_relief_client_number(text)
    draft.relief_client_number_unknown = False


TEXT_STEPS = {
    "phone": ProfileDraft.set_typed_phone,
    "full_name": _set_name,
    "national_code": _set_national_code,
    "birth_date": _set_birth_date,
    "province": _set_province,
    "city": _set_city,
    "relief_client_number": _set_client_number,
}


def _current_step(manager: DialogManager) -> str:
    state = manager.current_context().state
    return state.state.split(":")[-1] if state and state.state else "review"


# --- choice questions: the item id is checked against the allowed values (never trusted) ---

async def on_gender(_c: CallbackQuery, _w: Any, manager: DialogManager, item_id: str) -> None:
    if item_id in GENDERS:
        await _choose(manager, gender=item_id)


async def on_education(_c: CallbackQuery, _w: Any, manager: DialogManager, item_id: str) -> None:
    if item_id in EDUCATION_LEVELS:
        await _choose(manager, education=item_id)


async def on_province(_c: CallbackQuery, _w: Any, manager: DialogManager, item_id: str) -> None:
    if item_id.isdigit() and int(item_id) < len(PROVINCES):
        await _choose(manager, province=PROVINCES[int(item_id)])


async def on_decile(_c: CallbackQuery, _w: Any, manager: DialogManager, item_id: str) -> None:
    if item_id.isdigit() and int(item_id) in DECILES:
        await _choose(manager, decile=int(item_id), decile_answered=True)


async def on_relief_yes(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    await _choose(manager, relief_client=True)


async def on_relief_no(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    await _choose(
        manager, relief_client=False, relief_client_number=None, relief_client_number_unknown=False
    )


async def on_client_number_unknown(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    await _choose(manager, relief_client_number=None, relief_client_number_unknown=True)


async def _choose(manager: DialogManager, **answers: Any) -> None:
    draft = await load_draft(ctx.fsm(manager))
    for name, value in answers.items():
        setattr(draft, name, value)
    await _advance(manager, draft)


async def on_province_page(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    pages = (len(PROVINCES) + PROVINCES_PER_PAGE - 1) // PROVINCES_PER_PAGE
    page = int(manager.dialog_data.get(PROVINCE_PAGE_KEY, 0))
    if button.widget_id == PROVINCE_FIRST:
        page = 0
    else:
        page += 1 if button.widget_id == PROVINCE_NEXT else -1
    manager.dialog_data[PROVINCE_PAGE_KEY] = page % pages


# --- navigation ---

async def on_back(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    draft = await load_draft(ctx.fsm(manager))
    step = _current_step(manager)
    if draft.editing:
        target = "review"
    else:
        index = STEPS.index(step) if step in STEPS else 1
        target = STEPS[max(index - 1, 1)]
        if target == "relief_client_number" and draft.relief_client is False:
            target = "relief_client"
    manager.dialog_data.pop(ERROR_KEY, None)
    draft.step = target
    await save_draft(ctx.fsm(manager), draft)
    await manager.switch_to(state_of(target))


async def on_edit(_c: CallbackQuery, _w: Any, manager: DialogManager, item_id: str) -> None:
    if item_id not in STEPS or item_id in ("consent", "review"):
        return
    draft = await load_draft(ctx.fsm(manager))
    draft.editing = True
    draft.step = item_id
    await save_draft(ctx.fsm(manager), draft)
    manager.dialog_data.pop(ERROR_KEY, None)
    await manager.switch_to(state_of(item_id))


async def on_confirm(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    draft = await load_draft(ctx.fsm(manager))
    await finish_registration(callback, manager, draft)


async def on_decile_unknown(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    await _choose(manager, decile=None, decile_answered=True)
