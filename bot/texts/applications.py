"""How an application reads, for its owner (the apply form, My file, their notifications) and for
a caseworker: status names, document states, program blurbs, answers, the document checklist and
the status timeline.

The staff screens word some statuses differently, for a reviewer (bot/handlers/staff/labels.py);
the ones that read the same are taken from here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from aiogram.utils.i18n import gettext

from bot.i18n import N_
from bot.texts.courses import course_title
from services.applications import ApplicationView, DocumentState, EventView, Status
from services.catalog import CourseSummary
from services.jalali import format_jalali, local_date
from services.programs import DocumentRequirement, Program, ProgramRegistry, Question
from services.text import display_code, format_toman, localize_digits

GOOD_STATES = (DocumentState.RECEIVED, DocumentState.ACCEPTED)
UNKNOWN_PROGRAM = "?"  # a program whose file is no longer loaded

# --- statuses ---------------------------------------------------------------------------------

STATUS_LABELS = {
    Status.DRAFT: N_("Draft (not sent yet)"),
    Status.SUBMITTED: N_("Sent, waiting for review"),
    Status.UNDER_REVIEW: N_("Being reviewed"),
    Status.NEEDS_DOCUMENTS: N_("Documents needed"),
    Status.APPROVED: N_("Approved"),
    Status.REJECTED: N_("Not approved"),
    Status.ENROLLED: N_("Enrolled in the course"),
    Status.COMPLETED: N_("Course completed"),
    Status.WITHDRAWN: N_("Withdrawn"),
}

STATUS_ICONS = {
    Status.DRAFT: "📝",
    Status.SUBMITTED: "📨",
    Status.UNDER_REVIEW: "🔎",
    Status.NEEDS_DOCUMENTS: "📎",
    Status.APPROVED: "✅",
    Status.REJECTED: "❌",
    Status.ENROLLED: "🎓",
    Status.COMPLETED: "🏅",
    Status.WITHDRAWN: "↩️",
}

# What the status means for the person, in one plain sentence.
STATUS_EXPLANATIONS = {
    Status.DRAFT: N_("You have not sent this application yet."),
    Status.SUBMITTED: N_("Your application has arrived. A caseworker will look at it soon."),
    Status.UNDER_REVIEW: N_("A caseworker is checking your application."),
    Status.NEEDS_DOCUMENTS: N_(
        "The caseworker needs more documents from you. See the list below and send them."
    ),
    Status.APPROVED: N_("Your application is approved. The training center will contact you."),
    Status.REJECTED: N_("Your application was not approved. You may apply again later."),
    Status.ENROLLED: N_("You are enrolled in the course."),
    Status.COMPLETED: N_("You have completed the course."),
    Status.WITHDRAWN: N_("You withdrew this application."),
}

ACTOR_PHRASES = {
    "person": N_("by you"),
    "staff": N_("by a caseworker"),
    "system": N_("automatically"),
}


# Reasons the service writes itself (staff reasons are their own words, shown as typed).
EVENT_REASONS = {
    "documents_sent": N_("you sent the documents asked for"),
}


def event_reason(reason: str) -> str:
    msgid = EVENT_REASONS.get(reason)
    return gettext(msgid) if msgid else reason


def status_label(status: Status | str) -> str:
    try:
        return gettext(STATUS_LABELS[Status(status)])
    except (ValueError, KeyError):
        return str(status)


def status_with_icon(status: Status) -> str:
    return f"{STATUS_ICONS.get(status, '▫️')} {status_label(status)}"


def status_explanation(status: Status) -> str:
    return gettext(STATUS_EXPLANATIONS[status])


def actor_phrase(actor_kind: str) -> str:
    msgid = ACTOR_PHRASES.get(actor_kind)
    return gettext(msgid) if msgid else ""


# --- documents --------------------------------------------------------------------------------

DOCUMENT_STATE_LABELS = {
    DocumentState.RECEIVED: N_("📥 Received, waiting for review"),
    DocumentState.ACCEPTED: N_("✅ Accepted"),
    DocumentState.REJECTED: N_("❌ Not accepted"),
    DocumentState.REQUESTED: N_("📨 Requested by the caseworker"),
    DocumentState.SUPERSEDED: N_("Replaced by a newer file"),
}


def document_state_text(state: DocumentState, reason: str | None) -> str:
    """«❌ Not accepted: the photo is blurred» — the reason or note is staff's own words."""
    label = gettext(DOCUMENT_STATE_LABELS[state])
    return f"{label}: {reason}" if reason else label


def document_name(registry: ProgramRegistry, program_id: str | None, kind: str, locale: str) -> str:
    """The program's name for a document kind; any program's if the program is not known."""
    programs = [registry.get(program_id)] if program_id else []
    for program in [*programs, *registry.all()]:
        requirement = program.document(kind) if program is not None else None
        if requirement is not None:
            return requirement.name.for_locale(locale)
    return kind


# --- programs, courses, answers ---------------------------------------------------------------


def program_name(
    program: Program | None, locale: str | None, fallback: str = "", *, short: bool = False
) -> str:
    """The program's name (`fallback` for a program no longer loaded); `short` where a button
    has little room: «همنوا (بورسیه مهارتی)» -> «همنوا»."""
    if program is None:
        return fallback
    name = program.name.for_locale(locale)
    return name.split(" (")[0] if short else name


def program_blurb(program: Program, locale: str | None) -> str:
    """Name, one-line description and what it pays for."""
    lines = [f"▫️ {program.name.for_locale(locale)}", program.description.for_locale(locale)]
    if program.pays_for:
        lines.append(gettext("It pays for:"))
        lines.extend(f"   • {item.for_locale(locale)}" for item in program.pays_for)
    return "\n".join(lines)


def course_line(course: CourseSummary, locale: str | None) -> str:
    """«خیاط لباس زنانه — مشهد، آموزشگاه ... — شروع ۱ دی ۱۴۰۵»"""
    return gettext("{title} — {city}, {center} — starts {date}").format(
        title=course_title(course, locale),
        city=course.city,
        center=course.center_name,
        date=format_jalali(course.start_date, locale),
    )


def course_details(course: CourseSummary, pays_rial: int | None, locale: str | None) -> str:
    line = course_line(course, locale)
    seats = gettext("{seats} seats left").format(
        seats=localize_digits(str(course.seats_left), locale)
    )
    parts = [line, seats]
    if pays_rial is not None:
        parts.append(gettext("you pay {amount}").format(amount=format_toman(pays_rial, locale)))
    return " · ".join(parts)


def answer_text(question: Question, value: Any, locale: str | None) -> str:
    if value is None:
        return gettext("—")
    if question.type == "choice":
        option = question.option(str(value))
        if option is None:
            return str(value)
        return option.en if locale == "en" else option.fa
    if question.type == "yes_no":
        return gettext("Yes") if value else gettext("No")
    if question.type == "number":
        return localize_digits(str(value), locale)
    if question.type == "jalali_date":
        try:
            return format_jalali(dt.date.fromisoformat(str(value)), locale)
        except ValueError:
            return str(value)
    return str(value)


def document_mark(view: ApplicationView, requirement: DocumentRequirement) -> str:
    """✅ when something usable is in (received or accepted), ⬜ otherwise."""
    documents = view.documents_of(requirement.kind)
    return "✅" if any(d.state in GOOD_STATES for d in documents) else "⬜"


def checklist_lines(
    view: ApplicationView,
    requirements: Sequence[DocumentRequirement],
    locale: str | None,
    *,
    with_states: bool = False,
) -> list[str]:
    """One line per document the program asks of this person; the files' states below it."""
    lines = []
    for requirement in requirements:
        documents = view.documents_of(requirement.kind)
        name = requirement.name.for_locale(locale)
        received = [d for d in documents if d.state in GOOD_STATES]
        line = f"{document_mark(view, requirement)} {name}"
        if received and requirement.max_count > 1:
            line += " " + gettext("({count} of up to {max})").format(
                count=localize_digits(str(len(received)), locale),
                max=localize_digits(str(requirement.max_count), locale),
            )
        if not requirement.is_mandatory_for(view.relief_client):
            line += " " + gettext("(optional)")
        lines.append(line)
        if with_states:
            lines.extend(f"    {document_state_text(d.state, d.reason)}" for d in documents)
        elif not documents and requirement.help:
            lines.append(f"    {requirement.help.for_locale(locale)}")
    return lines


def timeline_lines(
    timeline: Sequence[EventView], locale: str | None, timezone: str
) -> list[str]:
    """«۴ آذر ۱۴۰۵ — Sent, waiting for review (by you)», the staff's reason after a colon."""
    lines = []
    for event in timeline:
        day = local_date(event.at, timezone)
        status = (
            gettext("Application started") if event.from_status is None
            else status_label(event.to_status)
        )
        line = gettext("{date} — {status} ({who})").format(
            date=format_jalali(day, locale), status=status, who=actor_phrase(event.actor_kind)
        ).replace(" ()", "")
        if event.reason:
            line += ": " + event_reason(event.reason)
        lines.append(line)
    return lines


def submission_confirmation(program: Program | None, code: str, locale: str | None) -> str:
    """What a person is told when their application has been sent: on the submit screen, and by
    the start-up sweep when the process died before that screen was shown."""
    return "\n".join([
        gettext("✅ Your application to {program} has been sent.").format(
            program=program_name(program, locale, UNKNOWN_PROGRAM)
        ),
        gettext("Tracking code: {code}").format(code=tracking(code, locale)),
        gettext("Keep this code. You can follow your application in «📂 My file»."),
    ])


def tracking(code: str | None, locale: str | None) -> str:
    """The Latin-lettered code isolated, so «HMN-۱۴۰۵-۰۰۰۱۲۳» keeps its order in Persian."""
    if not code:
        return gettext("—")
    return display_code(code, locale)
