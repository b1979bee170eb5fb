"""How an application reads in a chat: program blurbs, answers, the document checklist and the
status timeline. Plain text (Bale has no parse_mode); call where a gettext locale is active."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from aiogram.utils.i18n import gettext

from bot.dialogs.applications.labels import (
    actor_phrase,
    document_state_text,
    event_reason,
    status_label,
)
from bot.dialogs.courses.card import course_title
from services.applications import ApplicationView, DocumentState, EventView
from services.catalog import CourseSummary
from services.jalali import format_jalali, local_date
from services.programs import DocumentRequirement, Program, Question
from services.text import format_toman, isolate, localize_digits

GOOD_STATES = (DocumentState.RECEIVED, DocumentState.ACCEPTED)


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


def tracking(code: str | None, locale: str | None) -> str:
    """The Latin-lettered code isolated, so «HMN-1405-000123» keeps its order in Persian."""
    if not code:
        return gettext("—")
    return isolate(localize_digits(code, locale))
