"""What a caseworker reads about a ticket: the profile card (posted when its forum topic opens,
and on /profile) and the history (/history). Personal data, as on the application card: only
drawn for staff the service let see the ticket, in a staff chat."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from aiogram.utils.i18n import gettext

from bot.handlers.staff.cards import applicant_lines, code_of
from bot.handlers.staff.labels import status_label
from bot.i18n import current_locale
from bot.keyboards.tickets import topic_label
from bot.texts.applications import UNKNOWN_PROGRAM, program_name
from services.applications import Status
from services.jalali import format_jalali
from services.programs import ProgramRegistry
from services.text import display_code, isolate, lead_rtl, localize_digits
from services.tickets import HistoryLine, TicketProfile

PAGE_LIMIT = 4000  # Telegram's limit is 4096; leave room for the isolates


def _digits(value: object) -> str:
    return localize_digits(str(value), current_locale())


def profile_text(profile: TicketProfile, registry: ProgramRegistry) -> str:
    locale = current_locale()
    lines = [
        "🪪 " + gettext("Conversation #{number}").format(number=_digits(profile.ticket_id)),
        gettext("Subject: {topic}").format(topic=topic_label(profile.topic)),
    ]
    lines += _context_lines(profile)
    lines += ["", gettext("👤 Beneficiary")]
    if profile.applicant is None:
        lines.append(gettext("(not registered)"))
    else:
        lines += applicant_lines(profile.applicant)
    lines += ["", gettext("📄 Applications")]
    for app in profile.applications:
        program = program_name(registry.get(app.program_id), locale, UNKNOWN_PROGRAM, short=True)
        known = app.status in {status.value for status in Status}
        label = status_label(Status(app.status)) if known else app.status
        lines.append(lead_rtl("▫️ {code} · {program} · {status}", locale).format(
            code=code_of(app.tracking_code, app.id), program=program, status=label,
        ))
    if not profile.applications:
        lines.append(gettext("No applications."))
    text = "\n".join(lines)
    return text if len(text) <= PAGE_LIMIT else text[: PAGE_LIMIT - 1] + "…"


def _context_lines(profile: TicketProfile) -> list[str]:
    locale = current_locale()
    context = profile.context
    lines = []
    app_id = context.get("application_id")
    if isinstance(app_id, int):
        tracking = next(
            (a.tracking_code for a in profile.applications if a.id == app_id), None
        )
        lines.append(gettext("About application: {code}").format(
            code=code_of(tracking, app_id)
        ))
    course = context.get("course_code")
    if isinstance(course, str) and course:
        lines.append(gettext("About course: {code}").format(
            code=lead_rtl(display_code(course, locale), locale)
        ))
    if context.get("from") == "result":
        lines.append(gettext("Opened from the counseling result."))
    return lines


def history_pages(lines: list[HistoryLine], timezone: str) -> list[str]:
    """The ticket's messages, oldest first, in pages that fit one message each."""
    if not lines:
        return [gettext("No messages yet.")]
    entries = [_history_entry(line, timezone) for line in lines]
    pages: list[str] = []
    page = gettext("🗂 History ({count} messages)").format(count=_digits(len(lines)))
    for entry in entries:
        if len(entry) > PAGE_LIMIT // 2:
            entry = entry[: PAGE_LIMIT // 2 - 1] + "…"
        if len(page) + 2 + len(entry) > PAGE_LIMIT:
            pages.append(page)
            page = entry
        else:
            page += "\n\n" + entry
    pages.append(page)
    if len(pages) > 1:
        total = _digits(len(pages))
        pages = [
            page + "\n\n" + gettext("Page {page} of {pages}").format(page=_digits(n), pages=total)
            for n, page in enumerate(pages, 1)
        ]
    return pages


def _history_entry(line: HistoryLine, timezone: str) -> str:
    who = {
        "in": gettext("⬅️ Beneficiary"),
        "out": gettext("➡️ Caseworker"),
        "note": gettext("📝 Note (not sent)"),
    }.get(line.direction, gettext("⚙️ System"))
    if line.author and line.direction != "in":
        who += " " + isolate(line.author)
    marks = {"photo": gettext("[photo]"), "document": gettext("[file]"),
             "voice": gettext("[voice]")}
    words = (marks.get(line.kind, "") + " " + (line.text or "")).strip()
    return f"{who} · {_when(line.at, timezone)}\n{words}"


def _when(moment: dt.datetime, timezone: str) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    local = moment.astimezone(ZoneInfo(timezone))
    clock = _digits(local.strftime("%H:%M"))
    return format_jalali(local.date(), current_locale()) + " " + clock
