"""What the My file screens show: every application, then one with its timeline and papers."""

from __future__ import annotations

from typing import Any

from aiogram.utils.i18n import gettext
from aiogram_dialog import DialogManager

from bot.dialogs import context as ctx
from bot.dialogs.applications import entry as application
from bot.dialogs.my_file.dialog_data import KIND_KEY, REASON_KEY
from bot.texts.applications import (
    checklist_lines,
    course_line,
    program_name,
    status_explanation,
    status_label,
    status_with_icon,
    timeline_lines,
    tracking,
)
from bot.texts.exams import answer_label, certificate_lines, session_title
from services.applications import Status
from services.programs import Program
from services.text import display_code, localize_digits


async def listing_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    locale = ctx.locale()
    service = ctx.applications(dialog_manager)
    views = await service.my_file(ctx.person_id(dialog_manager))
    lines, items = [], []
    for n, view in enumerate(views, start=1):
        name = program_name(service.registry.get(view.program_id), locale, view.program_id)
        number = localize_digits(str(n), locale)
        lines.append(f"{number}. {name} — {status_with_icon(view.status)}")
        if view.tracking_code:
            lines.append("    " + gettext("Tracking code: {code}").format(
                code=tracking(view.tracking_code, locale)))
        items.append((f"{number}. {name} · {status_label(view.status)}", str(view.id)))
    exams = ctx.services(dialog_manager).exam_service
    person = ctx.person_id(dialog_manager)
    certificates = await exams.certificates_of(person)
    upcoming = await exams.exams_of(person)
    timezone = ctx.timezone(dialog_manager)
    exam_lines = [
        "• " + session_title(item.session, timezone) + " — " + answer_label(item.answer)
        for item in upcoming
    ]
    return {
        "exams": "\n".join(exam_lines),
        "has_exams": bool(upcoming),
        "certificates": "\n".join(
            line for certificate in certificates for line in certificate_lines(certificate)
        ),
        "has_certificates": bool(certificates),
        "notice": application.notice_text(dialog_manager, None, locale),
        "applications": "\n".join(lines),
        "app_items": items,
        "empty": not views,
        "any": bool(views),
    }


def _gone() -> dict[str, Any]:
    """Not (or no longer) this person's application: the screen offers only the way back."""
    return {"gone": True, "here": False, "notice": ""}


def _here(manager: DialogManager, program: Program | None) -> dict[str, Any]:
    notice = application.notice_text(manager, program, ctx.locale())
    return {"gone": False, "here": True, "notice": notice}


async def detail_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    locale = ctx.locale()
    loaded = await application.load(dialog_manager)
    if loaded is None:
        return _gone()
    view, program = loaded
    service = ctx.applications(dialog_manager)
    course = ""
    if view.course_code:
        card = await ctx.catalog(dialog_manager).card(view.course_code, ctx.today(dialog_manager))
        course = course_line(card, locale) if card else display_code(view.course_code, locale)
    requirements = service.required_documents(view)
    upload_kinds = view.open_upload_kinds
    return {
        **_here(dialog_manager, program),
        "program_name": program.name.for_locale(locale),
        "tracking": tracking(view.tracking_code, locale),
        "has_code": bool(view.tracking_code),
        "course": course,
        "status": status_with_icon(view.status),
        "explanation": status_explanation(view.status),
        "timeline": "\n".join(timeline_lines(view.timeline, locale, ctx.timezone(dialog_manager))),
        "checklist": "\n".join(checklist_lines(view, requirements, locale, with_states=True)),
        "has_documents": bool(requirements),
        "upload_items": [
            (f"📎 {r.name.for_locale(locale)}", r.kind)
            for r in requirements
            if r.kind in upload_kinds
        ],
        "can_send": view.uploads_open,
        "can_withdraw": view.can_withdraw,
        "is_draft": view.status is Status.DRAFT,
    }


async def upload_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    locale = ctx.locale()
    loaded = await application.load(dialog_manager)
    program = loaded[1] if loaded else None
    kind = str(dialog_manager.dialog_data.get(KIND_KEY))
    requirement = program.document(kind) if program else None
    if loaded is None or requirement is None:
        return _gone()
    view = loaded[0]
    notes = [d.reason for d in view.documents_of(requirement.kind) if d.reason]
    return {
        **_here(dialog_manager, program),
        **application.upload_prompt_values(requirement, locale),
        "note": "\n".join(notes),
    }


async def withdraw_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    locale = ctx.locale()
    loaded = await application.load(dialog_manager)
    if loaded is None:
        return _gone()
    view, program = loaded
    reason = dialog_manager.dialog_data.get(REASON_KEY)
    return {
        **_here(dialog_manager, program),
        "program_name": program.name.for_locale(locale),
        "tracking": tracking(view.tracking_code, locale),
        "reason": reason if isinstance(reason, str) else "",
        "gives_up_seat": view.withdrawal_gives_up_seat,
    }
