"""/joblead: an administrator posts a job lead by a short form in a private chat, one question
at a time (title, employer, province, city, fields, wage, deadline, how to apply), then a
preview with «✅ Post» / «✖️ Cancel». /cancel stops it at any step.

Each answer is checked by services/job_leads/drafts (the import's rules): a deadline already
passed, a Jalali date that does not exist, a Gregorian date (refused with a hint, never read as
Jalali) or an unknown field is asked again with the reason; nothing typed is lost.

The form's typed answers come before the staff gate (which lets only commands through in a
private chat): its router filters on the form's states and on the administrator."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable

from aiogram import Bot, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext

from bot.filters import PrivateChat
from bot.handlers.staff.filters import IsStaff
from bot.i18n import N_
from bot.keyboards.job_leads import JobLeadFormCb
from bot.platforms.bots import platform_of
from bot.texts.job_leads import lead_text, number
from services.job_leads import DraftError, DraftProblem, JobLeadService, LeadDraft, LeadView
from services.job_leads.drafts import deadline_value, fields_value, province_value, text_value
from services.job_leads.model import (
    CITY_MAX,
    EMPLOYER_MAX,
    HOW_TO_APPLY_MAX,
    TITLE_MAX,
    WAGE_MAX,
)
from services.staff import StaffMember
from services.text import isolate_commands


class JobLeadForm(StatesGroup):
    title = State()
    employer = State()
    province = State()
    city = State()
    fields = State()
    wage = State()
    deadline = State()
    how_to_apply = State()
    confirm = State()


# Each step: its state, its question (N_ msgid), how its answer is read.
Reader = Callable[[str, JobLeadService], Awaitable[object]]


async def _title(raw: str, _: JobLeadService) -> object:
    return text_value(raw, TITLE_MAX)


async def _employer(raw: str, _: JobLeadService) -> object:
    return text_value(raw, EMPLOYER_MAX)


async def _province(raw: str, _: JobLeadService) -> object:
    return province_value(raw)


async def _city(raw: str, _: JobLeadService) -> object:
    return text_value(raw, CITY_MAX, required=False)


async def _fields(raw: str, service: JobLeadService) -> object:
    return list(fields_value(raw, await service.catalog_fields()))


async def _wage(raw: str, _: JobLeadService) -> object:
    return text_value(raw, WAGE_MAX, required=False)


async def _deadline(raw: str, service: JobLeadService) -> object:
    return deadline_value(raw, service.today()).isoformat()


async def _how(raw: str, _: JobLeadService) -> object:
    return text_value(raw, HOW_TO_APPLY_MAX)


STEPS: list[tuple[State, str, Reader]] = [
    (JobLeadForm.title, N_("1/8 · The job's title? (e.g. «خیاط لباس زنانه»)"), _title),
    (JobLeadForm.employer, N_("2/8 · The employer's name?"), _employer),
    (JobLeadForm.province, N_("3/8 · Which province is the job in?"), _province),
    (JobLeadForm.city, N_("4/8 · Which city? (send - if it does not matter)"), _city),
    (JobLeadForm.fields, N_("5/8 · Fields of work, separated by «،» (at most five). The "
                            "catalog's fields:"), _fields),
    (JobLeadForm.wage, N_("6/8 · The wage, in words (e.g. «حقوق پایه وزارت کار»)? Send - to "
                          "leave it out."), _wage),
    (JobLeadForm.deadline, N_("7/8 · The last day to apply, as a Jalali date (e.g. "
                              "۱۴۰۵/۱۰/۱۵)?"), _deadline),
    (JobLeadForm.how_to_apply, N_("8/8 · How to apply (a phone number, an address, what to "
                                  "bring)?"), _how),
]
_BY_STATE = {state.state: index for index, (state, _, _) in enumerate(STEPS)}
_KEYS = ("title", "employer", "province", "city", "fields", "wage", "deadline", "how_to_apply")

PROBLEMS: dict[DraftProblem, str] = {
    DraftProblem.REQUIRED: N_("This cannot be empty."),
    DraftProblem.TOO_LONG: N_("This is too long; please shorten it."),
    DraftProblem.UNKNOWN_PROVINCE: N_("This is not one of Iran's 31 provinces."),
    DraftProblem.UNKNOWN_FIELD: N_("«{value}» is not one of the catalog's fields of work."),
    DraftProblem.TOO_MANY_FIELDS: N_("At most five fields of work, please."),
    DraftProblem.DATE_FORMAT: N_("Please write the date as year/month/day, e.g. ۱۴۰۵/۱۰/۱۵."),
    DraftProblem.DATE_NOT_EXIST: N_("This Jalali date does not exist; please check the day "
                                    "and month."),
    DraftProblem.DATE_OUT_OF_RANGE: N_("This year looks wrong; please write a Jalali date "
                                       "like ۱۴۰۵/۱۰/۱۵."),
    DraftProblem.DATE_GREGORIAN: N_("This looks like a Gregorian date. Please write the "
                                    "Jalali date, e.g. ۱۴۰۵/۱۰/۱۵."),
    DraftProblem.DEADLINE_PASSED: N_("This deadline has already passed; a lead must still be "
                                     "open today or later."),
}


# Where an administrator's plain messages belong to this form (the staff router's reach).
JOB_LEAD_FORM_STATES: frozenset[str | None] = frozenset(JobLeadForm.__all_states_names__)


def build_job_lead_form_router() -> Router:
    """Before the staff gate: the form's own states, administrators in a private chat."""
    router = Router(name=__name__)
    router.message.register(on_start, Command("joblead"), PrivateChat(), IsStaff(admin=True))
    router.message.register(
        on_cancel, Command("cancel"), StateFilter(JobLeadForm), PrivateChat()
    )
    router.message.register(
        on_answer, StateFilter(*(state for state, _, _ in STEPS)), PrivateChat(),
        IsStaff(admin=True),
    )
    router.message.register(on_confirm_typed, StateFilter(JobLeadForm.confirm), PrivateChat())
    router.callback_query.register(on_button, JobLeadFormCb.filter(), IsStaff(admin=True))
    return router


async def _ask(message: Message, index: int, service: JobLeadService) -> None:
    _, question, _ = STEPS[index]
    text = gettext(question)
    if STEPS[index][0] == JobLeadForm.fields:
        text += "\n" + "، ".join(await service.catalog_fields())
    await message.answer(isolate_commands(text + "\n" + gettext("(/cancel stops the form)")))


async def on_start(message: Message, state: FSMContext, job_lead_service: JobLeadService) -> None:
    await state.clear()
    await state.set_state(STEPS[0][0])
    await message.answer(gettext("💼 A new job lead. Eight short questions; the people it "
                                 "matches are told when you post it."))
    await _ask(message, 0, job_lead_service)


async def on_cancel(message: Message, state: FSMContext) -> None:
    await state.clear()
    await message.answer(gettext("The job lead form was cancelled; nothing was posted."))


async def on_answer(
    message: Message, state: FSMContext, job_lead_service: JobLeadService, raw_state: str
) -> None:
    index = _BY_STATE[raw_state]
    raw = message.text or ""
    try:
        value = await STEPS[index][2](raw, job_lead_service)
    except DraftError as error:
        reason = gettext(PROBLEMS[error.problem]).format(value=error.value)
        await message.answer(reason + "\n" + gettext("Please send it again."))
        return
    await state.update_data({_KEYS[index]: value})
    if index + 1 < len(STEPS):
        await state.set_state(STEPS[index + 1][0])
        await _ask(message, index + 1, job_lead_service)
        return
    await state.set_state(JobLeadForm.confirm)
    draft = draft_of(await state.get_data())
    await message.answer(preview_text(draft), reply_markup=confirm_keyboard())


async def on_confirm_typed(message: Message) -> None:
    await message.answer(gettext("Please press «✅ Post» or «✖️ Cancel» under the preview."))


def draft_of(data: dict[str, object]) -> LeadDraft:
    fields = data.get("fields")
    return LeadDraft(
        title=str(data["title"]), employer=str(data["employer"]),
        province=str(data["province"]),
        city=str(data["city"]) if data.get("city") else None,
        fields=tuple(str(name) for name in fields) if isinstance(fields, list) else (),
        wage_text=str(data["wage"]) if data.get("wage") else None,
        deadline=dt.date.fromisoformat(str(data["deadline"])),
        how_to_apply=str(data["how_to_apply"]),
    )


def preview_text(draft: LeadDraft) -> str:
    view = LeadView(
        id=0, title=draft.title, employer=draft.employer, province=draft.province,
        city=draft.city, fields=draft.fields, wage_text=draft.wage_text,
        deadline=draft.deadline, how_to_apply=draft.how_to_apply,
        created_at=dt.datetime.now(dt.UTC), open=True,
    )
    return gettext("Please check the job lead:") + "\n\n" + lead_text(view)


def confirm_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[
        InlineKeyboardButton(text=gettext("✅ Post"),
                             callback_data=JobLeadFormCb(action="post").pack()),
        InlineKeyboardButton(text=gettext("✖️ Cancel"),
                             callback_data=JobLeadFormCb(action="cancel").pack()),
    ]])


async def on_button(
    callback: CallbackQuery, callback_data: JobLeadFormCb, bot: Bot, state: FSMContext,
    staff: StaffMember, job_lead_service: JobLeadService, raw_state: str | None = None,
) -> None:
    if raw_state != JobLeadForm.confirm.state:
        await callback.answer(gettext("This form is closed. Send /joblead to start a new one."))
        return
    if callback_data.action == "cancel":
        await state.clear()
        await callback.answer()
        await bot.send_message(callback.from_user.id,
                               gettext("The job lead form was cancelled; nothing was posted."))
        return
    if callback_data.action != "post":
        await callback.answer(gettext("This button no longer works."))
        return
    draft = draft_of(await state.get_data())
    if draft.deadline < job_lead_service.today():
        # The preview waited past its deadline (e.g. overnight): nothing is posted.
        await state.clear()
        await callback.answer()
        await bot.send_message(callback.from_user.id,
                               gettext(PROBLEMS[DraftProblem.DEADLINE_PASSED]))
        return
    await state.clear()  # first: a double tap must not post twice
    posted = await job_lead_service.post(
        staff, draft, f"{platform_of(bot)}:{callback.from_user.id}"
    )
    await callback.answer(gettext("✅ Posted."))
    await bot.send_message(callback.from_user.id, gettext(
        "✅ Job lead #{number} was posted. People it matches: {matched}; they are told now or "
        "in their daily digest."
    ).format(number=number(posted.lead_id), matched=number(posted.matched)))
