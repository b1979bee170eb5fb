"""What each apply screen shows, read fresh from the services at render time."""

from __future__ import annotations

from typing import Any

from aiogram.utils.i18n import gettext
from aiogram_dialog import DialogManager

from bot.dialogs import context as ctx
from bot.dialogs.applications import dialog_data, flow
from bot.dialogs.applications.dialog_data import DISCARD_KEY, UNMET_KEY, start_course
from bot.dialogs.applications.documents import upload_prompt_values
from bot.dialogs.applications.handlers import COURSES_PER_PAGE
from bot.dialogs.applications.reuse import reuse_items
from bot.dialogs.applications.texts import notice_text, unmet_sentences
from bot.texts.applications import (
    answer_text,
    checklist_lines,
    course_details,
    course_line,
    program_blurb,
    program_name,
)
from bot.texts.courses import course_button_label
from services.applications import ApplicationView, DocumentState
from services.catalog import CourseCard
from services.jalali import format_jalali, local_date
from services.programs import Program, UnmetRule, course_qualifies
from services.text import localize_digits


async def _draft(manager: DialogManager) -> dict[str, Any]:
    """The draft on screen, or `gone` when it is not there (any more)."""
    loaded = await dialog_data.load(manager)
    program = loaded[1] if loaded else None
    return {
        "view": loaded[0] if loaded else None,
        "program": program,
        "gone": loaded is None,
        "here": loaded is not None,
        "program_name": program_name(program, ctx.locale()),
        "notice": notice_text(manager, program, ctx.locale()),
    }


async def drafts_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    locale = ctx.locale()
    service = ctx.applications(dialog_manager)
    drafts = await service.drafts(ctx.person_id(dialog_manager))
    lines, continues, discards = [], [], []
    for draft in drafts:
        program = service.registry.get(draft.program_id)
        name = program_name(program, locale, draft.program_id)
        started = format_jalali(local_date(draft.created_at, ctx.timezone(dialog_manager)), locale)
        lines.append(gettext("• {program} — started {date}").format(program=name, date=started))
        continues.append((gettext("▶️ Continue: {program}").format(program=name), str(draft.id)))
        discards.append((gettext("🗑 Discard: {program}").format(program=name), str(draft.id)))
    return {
        "notice": notice_text(dialog_manager, None, locale),
        "drafts": "\n".join(lines),
        "continue_items": continues,
        "discard_items": discards,
    }


async def discard_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    service = ctx.applications(dialog_manager)
    app_id = dialog_manager.dialog_data.get(DISCARD_KEY)
    drafts = await service.drafts(ctx.person_id(dialog_manager))
    draft = next((d for d in drafts if d.id == app_id), None)
    program = service.registry.get(draft.program_id) if draft else None
    return {"program_name": program_name(program, ctx.locale())}


async def programs_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    locale = ctx.locale()
    programs = ctx.applications(dialog_manager).registry.all()
    course_text = ""
    code = start_course(dialog_manager)
    if code:
        card = await ctx.catalog(dialog_manager).card(code, ctx.today(dialog_manager))
        fitting = [p for p in programs if card is not None and course_qualifies(p, card)]
        if card is not None and fitting:
            programs = fitting
            course_text = gettext("The course you chose: {course}").format(
                course=course_line(card, locale)
            )
        else:
            course_text = gettext(
                "The course you chose does not count for any program now; you can choose "
                "another course after the program."
            )
    return {
        "notice": notice_text(dialog_manager, None, locale),
        "course_text": course_text,
        "programs_text": "\n\n".join(program_blurb(p, locale) for p in programs),
        "program_items": [(p.name.for_locale(locale), p.id) for p in programs],
    }


async def not_eligible_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    locale = ctx.locale()
    program = ctx.applications(dialog_manager).registry.get(
        str(dialog_manager.dialog_data.get(dialog_data.PROGRAM_KEY))
    )
    raw = dialog_manager.dialog_data.get(UNMET_KEY)
    rules = [UnmetRule.from_dict(item) for item in raw] if isinstance(raw, list) else []
    return {
        "program_name": program_name(program, locale),
        "reasons": "\n".join(unmet_sentences(rules, locale)),
    }


async def course_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    data = await _draft(dialog_manager)
    view: ApplicationView | None = data["view"]
    if view is None:
        return data
    locale = ctx.locale()
    page = dialog_manager.dialog_data.get(dialog_data.PAGE_KEY, 0)
    page = page if isinstance(page, int) and page >= 0 else 0
    mine = dialog_manager.dialog_data.get(dialog_data.SCOPE_KEY) == "mine" and bool(view.province)
    courses = await ctx.applications(dialog_manager).eligible_courses(
        view.program_id,
        province=view.province if mine else None,
        today=ctx.today(dialog_manager),
        limit=COURSES_PER_PAGE + 1,
        offset=page * COURSES_PER_PAGE,
    )
    shown = courses[:COURSES_PER_PAGE]
    first = page * COURSES_PER_PAGE
    lines = [
        f"{localize_digits(str(first + n + 1), locale)}. {course_details(c, None, locale)}"
        for n, c in enumerate(shown)
    ]
    current = ""
    if view.course_code:
        card = await ctx.catalog(dialog_manager).card(view.course_code, ctx.today(dialog_manager))
        if card is not None:
            current = gettext("Your course now: {course}").format(course=course_line(card, locale))
    data.update(
        courses="\n".join(lines) or gettext("No open course here right now."),
        course_items=[
            (f"{localize_digits(str(first + n + 1), locale)}. {course_button_label(c, locale)}",
             c.code)
            for n, c in enumerate(shown)
        ],
        current_course=current,
        scope_title=(
            gettext("Courses in your province ({province}):").format(province=view.province)
            if mine else gettext("Courses in all provinces:")
        ),
        scope_button=gettext("🌍 All provinces") if mine else gettext("📍 Only my province"),
        has_scope=bool(view.province),
        has_prev=page > 0,
        has_next=len(courses) > COURSES_PER_PAGE,
    )
    return data


async def question_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    data = await _draft(dialog_manager)
    view: ApplicationView | None = data["view"]
    program: Program | None = data["program"]
    if view is None or program is None or not program.questions:
        data["gone"], data["here"] = True, False
        return data
    locale = ctx.locale()
    index = flow.question_index(dialog_manager, program)
    question = program.questions[index]
    current = view.answers.get(question.id)
    editing = flow.is_editing(dialog_manager)
    data.update(
        progress="" if editing else gettext("Question {number} of {total}").format(
            number=localize_digits(str(index + 1), locale),
            total=localize_digits(str(len(program.questions)), locale),
        ),
        question=question.text.for_locale(locale),
        help=question.help.for_locale(locale) if question.help else "",
        current=(
            gettext("Your answer now: {answer}").format(answer=answer_text(question, current,
                                                                         locale))
            if current is not None else ""
        ),
        is_choice=question.type == "choice",
        is_yes_no=question.type == "yes_no",
        optional=not question.required,
        options=[(o.en if locale == "en" else o.fa, o.id) for o in question.options],
    )
    return data


async def documents_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    data = await _draft(dialog_manager)
    view: ApplicationView | None = data["view"]
    if view is None:
        return data
    locale = ctx.locale()
    requirements = ctx.applications(dialog_manager).required_documents(view)
    data.update(
        checklist="\n".join(checklist_lines(view, requirements, locale)),
        document_items=[(f"📎 {r.name.for_locale(locale)}", r.kind) for r in requirements],
        all_in=not ctx.applications(dialog_manager).missing_documents(view),
    )
    return data


async def upload_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    data = await _draft(dialog_manager)
    view: ApplicationView | None = data["view"]
    program: Program | None = data["program"]
    requirement = (
        program.document(str(dialog_manager.dialog_data.get(dialog_data.KIND_KEY)))
        if program else None
    )
    if view is None or requirement is None:
        data["gone"], data["here"] = True, False
        return data
    locale = ctx.locale()
    mine = view.documents_of(requirement.kind)
    data.update(
        upload_prompt_values(requirement, locale),
        help=requirement.help.for_locale(locale) if requirement.help else "",
        count=localize_digits(str(len(mine)), locale),
        max_count=localize_digits(str(requirement.max_count), locale),
        remove_items=[
            (gettext("🗑 Remove file {number}").format(number=localize_digits(str(n + 1), locale)),
             str(d.id))
            for n, d in enumerate(mine)
            if d.state is DocumentState.RECEIVED
        ],
        reuse_items=await reuse_items(dialog_manager, view, requirement.kind),
    )
    return data


async def review_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    data = await _draft(dialog_manager)
    view: ApplicationView | None = data["view"]
    program: Program | None = data["program"]
    if view is None or program is None:
        return data
    locale = ctx.locale()
    course: CourseCard | None = None
    if view.course_code:
        course = await ctx.catalog(dialog_manager).card(view.course_code, ctx.today(dialog_manager))
    answers = [
        f"{localize_digits(str(n + 1), locale)}. {q.text.for_locale(locale)}\n    "
        f"➜ {answer_text(q, view.answers.get(q.id), locale)}"
        for n, q in enumerate(program.questions)
    ]
    requirements = ctx.applications(dialog_manager).required_documents(view)
    data.update(
        course=course_line(course, locale) if course else gettext("not chosen yet"),
        answers="\n".join(answers),
        checklist="\n".join(checklist_lines(view, requirements, locale)),
        has_documents=bool(requirements),
        edit_items=[
            (f"✏️ {localize_digits(str(n + 1), locale)}", str(n))
            for n in range(len(program.questions))
        ],
    )
    return data
