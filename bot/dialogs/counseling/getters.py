"""What each counseling screen shows, computed at render time in the reader's language."""

from __future__ import annotations

from typing import Any

from aiogram.utils.i18n import gettext
from aiogram_dialog import DialogManager

from bot.dialogs import context as ctx
from bot.dialogs.counseling.dialog_data import NOTICE_KEY, load_progress
from bot.dialogs.counseling.handlers import option_item_id
from bot.dialogs.counseling.texts import notice_text
from bot.texts.courses import course_button_label
from services.counseling import FieldCourses, FieldOutcome, progress, why_sentence
from services.text import localize_digits


def _notice(manager: DialogManager) -> str:
    code = manager.dialog_data.get(NOTICE_KEY)
    return notice_text(code) if isinstance(code, str) else ""


async def intro_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    # The number of questions this person will be asked (education comes from the profile).
    fresh = await ctx.counseling(dialog_manager).start(ctx.person_id(dialog_manager))
    count = len(fresh.asked(ctx.counseling(dialog_manager).data))
    return {"count": localize_digits(str(count), ctx.locale())}


async def question_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    data = ctx.counseling(dialog_manager).data
    locale = ctx.locale()
    current = await load_progress(ctx.fsm(dialog_manager))
    if current is None or not progress.is_current(data, current):
        # Drawn before the first tap fixes it (see handlers.on_option): show the first question.
        current = progress.start(data)
    question = data.questions[current.position]
    chosen = current.answers.get(question.id)
    number, total = progress.number_of(data, current)
    return {
        "notice": _notice(dialog_manager),
        "progress_line": gettext("Question {number} of {total}").format(
            number=localize_digits(str(number), locale),
            total=localize_digits(str(total), locale),
        ),
        "question": question.text.in_locale(locale),
        # Going back shows the earlier answer as chosen; tapping it again keeps it.
        "options": [
            (("✅ " if option.id == chosen else "") + option.text.in_locale(locale),
             option_item_id(question.id, option.id))
            for option in question.options
        ],
        "has_previous": progress.has_previous(data, current),
    }


async def result_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    service = ctx.counseling(dialog_manager)
    person_id = ctx.person_id(dialog_manager)
    result = await service.latest(person_id)
    if result is None:
        return {"summary": gettext("There is no result yet."), "courses": [], "outdated": False}
    province = await service.home_province(person_id)
    # A field removed from fields.json since the result was saved is left out.
    outcomes = [item for item in result.fields if service.data.field(item.field_id)]
    suggestions = await service.suggest_courses(
        ctx.catalog(dialog_manager),
        [item.field_id for item in outcomes],
        province,
        ctx.today(dialog_manager),
        near_home=service.data.wants_near_home(result.answers),
    )
    locale = ctx.locale()
    return {
        "summary": _summary(dialog_manager, outcomes, suggestions),
        "courses": _course_buttons(suggestions, province, locale),
        "waitlist_fields": _waitlist_buttons(dialog_manager, outcomes, suggestions, locale),
        "outdated": not service.is_current_version(result),
    }


def _summary(
    manager: DialogManager, outcomes: list[FieldOutcome], suggestions: list[FieldCourses]
) -> str:
    data = ctx.counseling(manager).data
    locale = ctx.locale()
    found = {item.field_id: item.courses for item in suggestions}
    far = {item.field_id for item in suggestions if item.far}
    blocks = []
    for number, outcome in enumerate(outcomes, start=1):
        field = data.field(outcome.field_id)
        if field is None:
            continue
        lines = [f"{localize_digits(str(number), locale)}. {field.name.in_locale(locale)}"]
        why = why_sentence(data, outcome.field_id, outcome.reasons, locale)
        if why:
            lines.append(why)
        shown = localize_digits(str(number), locale)
        if outcome.field_id in far:
            lines.append(gettext(
                "You asked for courses near home: none is open in your province or the ones "
                "next to it. The nearest open courses are the buttons marked {number} below."
            ).format(number=shown))
        elif found.get(outcome.field_id):
            lines.append(gettext("Open courses: the buttons marked {number} below.").format(
                number=shown
            ))
        else:
            lines.append(gettext("No open course in this field right now."))
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _waitlist_buttons(
    manager: DialogManager, outcomes: list[FieldOutcome], suggestions: list[FieldCourses],
    locale: str,
) -> list[tuple[str, str]]:
    """«🔔 Tell me when one opens» for each field with no open course near home."""
    data = ctx.counseling(manager).data
    near = {item.field_id for item in suggestions if item.courses and not item.far}
    buttons = []
    for outcome in outcomes:
        field = data.field(outcome.field_id)
        if field is not None and outcome.field_id not in near:
            buttons.append((gettext("🔔 Tell me when one opens: {field}").format(
                field=field.name.in_locale(locale)), outcome.field_id))
    return buttons


def _course_buttons(
    suggestions: list[FieldCourses], province: str | None, locale: str
) -> list[tuple[str, str]]:
    buttons = []
    for number, item in enumerate(suggestions, start=1):
        for course in item.courses:
            label = f"{localize_digits(str(number), locale)}. {course_button_label(course, locale)}"
            if course.province != province and course.city != course.province:
                label += f" · {course.province}"
            buttons.append((label, course.code))
    return buttons
