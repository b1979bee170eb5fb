"""Moving through the apply form: which screen comes next, where a resumed draft continues.

Only navigation lives here; every rule (eligibility, what is missing, what may change) is asked
of ApplicationService."""

from __future__ import annotations

from aiogram.types import Message
from aiogram.utils.i18n import gettext
from aiogram_dialog import DialogManager

from bot.dialogs import context as ctx
from bot.dialogs.applications import dialog_data
from bot.dialogs.applications.dialog_data import clear_notice, set_notice
from bot.dialogs.applications.states import ApplySG
from bot.keyboards.main_menu import main_menu_keyboard
from services.applications import ApplicationView, Status
from services.applications.views import DraftStep, next_step, resume_question
from services.programs import Program


def question_index(manager: DialogManager, program: Program) -> int:
    index = manager.dialog_data.get(dialog_data.QUESTION_KEY, 0)
    if not isinstance(index, int) or not 0 <= index < len(program.questions):
        return 0
    return index


def is_editing(manager: DialogManager) -> bool:
    return bool(manager.dialog_data.get(dialog_data.EDITING_KEY))


async def open_draft(manager: DialogManager, view: ApplicationView, program: Program) -> None:
    """Show a started or resumed draft where it stopped (the service's next_step)."""
    manager.dialog_data[dialog_data.APP_KEY] = view.id
    manager.dialog_data[dialog_data.PROGRAM_KEY] = program.id
    manager.dialog_data.pop(dialog_data.EDITING_KEY, None)
    step = next_step(program, view)
    if step is DraftStep.COURSE:
        await enter_courses(manager, view)
    elif step is DraftStep.QUESTION:
        await go_question(manager, resume_question(program, view) or 0)
    elif step is DraftStep.DOCUMENTS:
        await manager.switch_to(ApplySG.documents)
    else:
        await go_review(manager)


async def enter_courses(manager: DialogManager, view: ApplicationView) -> None:
    """The course list, the person's own province first (all provinces when it has none)."""
    manager.dialog_data[dialog_data.PAGE_KEY] = 0
    scope = "mine" if view.province else "all"
    if scope == "mine":
        first = await ctx.applications(manager).eligible_courses(
            view.program_id, province=view.province, today=ctx.today(manager), limit=1
        )
        if not first:
            scope = "all"
            set_notice(manager, "no_course_in_province")
    manager.dialog_data[dialog_data.SCOPE_KEY] = scope
    await manager.switch_to(ApplySG.course)


async def go_question(manager: DialogManager, index: int) -> None:
    manager.dialog_data[dialog_data.QUESTION_KEY] = index
    await manager.switch_to(ApplySG.question)


async def after_course(manager: DialogManager, program: Program) -> None:
    if is_editing(manager):
        await go_review(manager)
    elif program.questions:
        await go_question(manager, 0)
    else:
        await after_questions(manager)


async def after_answer(manager: DialogManager, program: Program, index: int) -> None:
    if is_editing(manager):
        await go_review(manager)
    elif index + 1 < len(program.questions):
        await go_question(manager, index + 1)
    else:
        await after_questions(manager)


async def after_questions(manager: DialogManager) -> None:
    loaded = await dialog_data.load(manager)
    if loaded is not None and ctx.applications(manager).required_documents(loaded[0]):
        await manager.switch_to(ApplySG.documents)
    else:
        await go_review(manager)


async def go_review(manager: DialogManager) -> None:
    manager.dialog_data.pop(dialog_data.EDITING_KEY, None)
    await manager.switch_to(ApplySG.review)


async def load_or_close(
    manager: DialogManager, message: Message | None
) -> tuple[ApplicationView, Program] | None:
    """The draft on screen with its program; if it is gone, the form closes (close_gone)."""
    loaded = await dialog_data.load(manager)
    if loaded is None:
        await close_gone(manager, message)
    return loaded


async def close_gone(manager: DialogManager, message: Message | None) -> None:
    """The draft vanished (discarded on the other messenger, sent already, a forged id)."""
    await close_with(manager, message, gettext(
        "This application is no longer available here. You can see your applications in "
        "«📂 My file»."
    ))


async def close_with(manager: DialogManager, message: Message | None, text: str) -> None:
    clear_notice(manager)
    await manager.done()
    if message is not None:
        await message.answer(
            text + "\n" + gettext("Main menu. Choose one of the buttons below."),
            reply_markup=main_menu_keyboard(registered=ctx.account(manager).registered),
        )


def is_draft(view: ApplicationView) -> bool:
    return view.status is Status.DRAFT
