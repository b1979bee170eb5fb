"""Apply form callbacks of the drafts, program, eligibility, course and question screens.

Thin: every id from a button is re-checked by the service as the person's own; every rule is the
service's. These only pick the next screen and the notice to show on it."""

from __future__ import annotations

from typing import Any

from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext
from aiogram_dialog import DialogManager
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button

from bot.dialogs import context as ctx
from bot.dialogs.applications import dialog_data, flow
from bot.dialogs.applications.dialog_data import (
    DISCARD_KEY,
    UNMET_KEY,
    clear_notice,
    set_answer_error,
    set_notice,
    set_plain_answer_error,
    start_course,
)
from bot.dialogs.applications.states import ApplySG
from bot.dialogs.common import callback_message
from bot.dialogs.handoff import hand_off
from bot.dialogs.registration.entry import start_registration
from services.applications import (
    ApplicationLocked,
    ApplicationView,
    NotAuthorized,
    SetCourseOutcome,
    StartOutcome,
)
from services.programs import UnmetRule

COURSES_PER_PAGE = 5
# The course list's page buttons, told apart by on_course_page.
COURSE_PREV = "course_prev"
COURSE_NEXT = "course_next"


# --- drafts: continue / discard ---------------------------------------------------------------

async def on_continue(_c: CallbackQuery, _w: Any, manager: DialogManager, item_id: str) -> None:
    draft = await _own_draft(manager, item_id)
    if draft is None:
        set_notice(manager, "not_found")
        return
    await choose_program(manager, draft.program_id)


async def on_discard_ask(_c: CallbackQuery, _w: Any, manager: DialogManager, item_id: str) -> None:
    draft = await _own_draft(manager, item_id)
    if draft is None:
        set_notice(manager, "not_found")
        return
    clear_notice(manager)
    manager.dialog_data[DISCARD_KEY] = draft.id
    await manager.switch_to(ApplySG.discard)


async def on_discard_yes(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    app_id = manager.dialog_data.pop(DISCARD_KEY, None)
    if isinstance(app_id, int) and await ctx.applications(manager).discard(
        app_id, ctx.person_id(manager)
    ):
        set_notice(manager, "discarded")
    else:
        set_notice(manager, "not_found")
    await show_drafts_or_programs(manager)


async def on_discard_no(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    manager.dialog_data.pop(DISCARD_KEY, None)
    await manager.switch_to(ApplySG.drafts)


async def on_new(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    clear_notice(manager)
    await manager.switch_to(ApplySG.programs)


async def show_drafts_or_programs(manager: DialogManager) -> None:
    drafts = await ctx.applications(manager).drafts(ctx.person_id(manager))
    await manager.switch_to(ApplySG.drafts if drafts else ApplySG.programs)


async def _own_draft(manager: DialogManager, item_id: str) -> ApplicationView | None:
    app_id = dialog_data.parse_id(item_id)
    drafts = await ctx.applications(manager).drafts(ctx.person_id(manager))
    return next((d for d in drafts if d.id == app_id), None)


# --- program and eligibility ------------------------------------------------------------------

async def on_program(
    callback: CallbackQuery, _w: Any, manager: DialogManager, item_id: str
) -> None:
    if ctx.applications(manager).registry.get(item_id) is None:
        set_notice(manager, "not_found")
        return
    await choose_program(manager, item_id, callback_message(callback))


async def choose_program(
    manager: DialogManager, program_id: str, message: Message | None = None
) -> None:
    clear_notice(manager)
    wanted = start_course(manager)
    result = await ctx.applications(manager).start_or_resume(
        ctx.person_id(manager), program_id, wanted, today=ctx.today(manager)
    )
    program = ctx.applications(manager).registry.get(program_id)
    if result.outcome in (StartOutcome.CREATED, StartOutcome.RESUMED):
        if result.view is None or program is None:
            set_notice(manager, "not_found")
            return
        await flow.open_draft(manager, result.view, program)
        if wanted and result.view.course_code != wanted:
            set_notice(manager, "course_not_qualified")
        return
    if result.outcome is StartOutcome.NOT_ELIGIBLE:
        manager.dialog_data[dialog_data.PROGRAM_KEY] = program_id
        manager.dialog_data[UNMET_KEY] = [rule.to_dict() for rule in result.unmet]
        await manager.switch_to(ApplySG.not_eligible)
        return
    if result.outcome is StartOutcome.ACTIVE_EXISTS:
        set_notice(manager, "active_exists")
        await manager.switch_to(ApplySG.programs)
        return
    if result.outcome is StartOutcome.NOT_REGISTERED:
        await flow.close_with(
            manager,
            message or _message_of(manager),
            gettext("To apply, please register first: press «📝 Register»."),
        )
        return
    set_notice(manager, "not_found")
    await manager.switch_to(ApplySG.programs)


async def on_update_profile(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    """The profile's review screen, where any answer can be changed."""
    draft = await ctx.registration(manager).load_profile(ctx.person_id(manager))
    await start_registration(manager, draft)


async def on_handoff(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    """From the refusal: the caseworker sees which program and which rules were not met."""
    raw = manager.dialog_data.get(UNMET_KEY)
    rules = [UnmetRule.from_dict(item) for item in raw] if isinstance(raw, list) else []
    # "any of" names its alternatives: «decile or relief client» tells more than «any_of».
    unmet = [alt.code for rule in rules for alt in (rule.alternatives or (rule,))]
    program_id = manager.dialog_data.get(dialog_data.PROGRAM_KEY)
    await hand_off(callback, manager, "application",
                   {"program_id": str(program_id) if program_id else None, "unmet": unmet})


async def on_other_programs(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    manager.dialog_data.pop(UNMET_KEY, None)
    clear_notice(manager)
    await manager.switch_to(ApplySG.programs)


# --- course -----------------------------------------------------------------------------------

async def on_course(
    callback: CallbackQuery, _w: Any, manager: DialogManager, item_id: str
) -> None:
    loaded = await flow.load_or_close(manager, callback_message(callback))
    if loaded is None:
        return
    view, program = loaded
    try:
        outcome = await ctx.applications(manager).set_course(
            view.id, ctx.person_id(manager), item_id, today=ctx.today(manager)
        )
    except (NotAuthorized, ApplicationLocked):
        await flow.close_gone(manager, callback_message(callback))
        return
    if outcome is SetCourseOutcome.SET:
        clear_notice(manager)
        await flow.after_course(manager, program)
    elif outcome in (SetCourseOutcome.NOT_FOUND, SetCourseOutcome.NOT_ALLOWED_NOW):
        await flow.close_gone(manager, callback_message(callback))
    else:
        codes = {SetCourseOutcome.UNKNOWN_COURSE: "course_unknown"}
        set_notice(manager, codes.get(outcome, "course_not_qualified"))


async def on_course_page(_c: CallbackQuery, button: Button, manager: DialogManager) -> None:
    page = manager.dialog_data.get(dialog_data.PAGE_KEY, 0)
    page = page if isinstance(page, int) else 0
    page = max(0, page + (1 if button.widget_id == COURSE_NEXT else -1))
    manager.dialog_data[dialog_data.PAGE_KEY] = page
    clear_notice(manager)


async def on_course_scope(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    scope = manager.dialog_data.get(dialog_data.SCOPE_KEY)
    manager.dialog_data[dialog_data.SCOPE_KEY] = "all" if scope == "mine" else "mine"
    manager.dialog_data[dialog_data.PAGE_KEY] = 0
    clear_notice(manager)


async def on_course_back(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    clear_notice(manager)
    if flow.is_editing(manager):
        await flow.go_review(manager)
    else:
        await manager.switch_to(ApplySG.programs)


# --- questions --------------------------------------------------------------------------------

async def on_answer_message(message: Message, _w: MessageInput, manager: DialogManager) -> None:
    if not message.text:
        set_plain_answer_error(manager, "need_text")
        return
    await _answer(manager, message.text, message)


async def on_option(callback: CallbackQuery, _w: Any, manager: DialogManager, item_id: str) -> None:
    await _answer(manager, item_id, callback_message(callback))


async def on_yes(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    await _answer(manager, "yes", callback_message(callback))


async def on_no(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    await _answer(manager, "no", callback_message(callback))


async def on_skip(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    # An empty answer clears an optional question; a required one gets "needs an answer".
    await _answer(manager, "", callback_message(callback))


async def _answer(manager: DialogManager, raw: str, message: Message | None) -> None:
    loaded = await flow.load_or_close(manager, message)
    if loaded is None:
        return
    view, program = loaded
    index = flow.question_index(manager, program)
    question = program.questions[index]
    try:
        error = await ctx.applications(manager).set_answer(
            view.id, ctx.person_id(manager), question.id, raw, today=ctx.today(manager)
        )
    except (NotAuthorized, ApplicationLocked, LookupError):
        await flow.close_gone(manager, message)
        return
    if error is not None:
        set_answer_error(manager, error)  # the question stays; the old answer is kept
        return
    clear_notice(manager)
    await flow.after_answer(manager, program, index)


async def on_question_back(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    clear_notice(manager)
    if flow.is_editing(manager):
        await flow.go_review(manager)
        return
    loaded = await dialog_data.load(manager)
    if loaded is None:
        return
    view, program = loaded
    index = flow.question_index(manager, program)
    if index > 0:
        await flow.go_question(manager, index - 1)
    else:
        await flow.enter_courses(manager, view)



# --- everywhere -------------------------------------------------------------------------------

def _message_of(manager: DialogManager) -> Message | None:
    event = manager.event
    if isinstance(event, Message):
        return event
    if isinstance(event, CallbackQuery):
        return callback_message(event)
    return None
