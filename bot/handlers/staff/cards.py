"""What the staff screens say: the queue page and the application card (text and buttons).

Rendered in the reader's language at the time of showing. Personal data appears only here, and
these screens are only drawn for a StaffMember the service has let see the application."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext

from bot.handlers.staff.labels import (
    DOCUMENT_STATE_MARKS,
    STATUS_MARKS,
    UNMET_LABELS,
    document_state_label,
    status_label,
)
from bot.i18n import current_locale
from bot.keyboards.staff import StaffAppCb, StaffDocCb, StaffQueueCb, button, markup
from bot.texts.applications import UNKNOWN_PROGRAM, answer_text, document_name, program_name
from bot.texts.courses import course_title
from bot.texts.profile import EDUCATION_LABELS, GENDER_LABELS, field_labels
from services.applications import DocumentState, QueueItem, StaffCard, Status
from services.applications.results import Applicant
from services.catalog import CourseCard
from services.jalali import format_jalali, local_date
from services.programs import Program, ProgramRegistry
from services.staff import StaffMember
from services.text import display_code, isolate, lead_rtl, localize_digits

QUEUE_PAGE_SIZE = 8
MAX_TEXT = 4000  # Telegram's limit is 4096; leave room for the isolates


def _digits(value: object) -> str:
    return localize_digits(str(value), current_locale())


def code_of(tracking_code: str | None, app_id: int) -> str:
    return display_code(tracking_code or f"#{app_id}", current_locale())


# --- the queue --------------------------------------------------------------------------------


def queue_text(total: int, page: int) -> str:
    if total == 0:
        return gettext("No applications are waiting for review in your provinces. 🎉")
    pages = (total + QUEUE_PAGE_SIZE - 1) // QUEUE_PAGE_SIZE
    return "\n".join([
        gettext("📋 Applications waiting for review: {count}").format(count=_digits(total)),
        gettext("Oldest first. Page {page} of {pages}.").format(
            page=_digits(page + 1), pages=_digits(pages)
        ),
        # «🆕» is a strong left-to-right character (squared Latin letters): lead with an RLM.
        lead_rtl(gettext("🆕 new · 🔎 under review · 📎 waiting for documents"), current_locale()),
    ])


def queue_row(item: QueueItem, registry: ProgramRegistry, today: dt.date, timezone: str) -> str:
    locale = current_locale()
    waited = (today - local_date(item.submitted_at, timezone)).days if item.submitted_at else 0
    parts = [
        STATUS_MARKS.get(item.status, "▫️") + " " + code_of(item.tracking_code, item.id),
        program_name(registry.get(item.program_id), locale, UNKNOWN_PROGRAM, short=True),
        item.province or "—",
        gettext("{days} d").format(days=_digits(max(waited, 0))),
    ]
    return lead_rtl(" · ".join(parts), locale)


# --- the application card ----------------------------------------------------------------------


def card_text(
    card: StaffCard,
    staff: StaffMember,
    registry: ProgramRegistry,
    course: CourseCard | None,
    timezone: str,
) -> str:
    locale = current_locale()
    view = card.view
    program = registry.get(view.program_id)
    name = program_name(program, locale, UNKNOWN_PROGRAM)
    lines = [
        lead_rtl(f"📄 {code_of(view.tracking_code, view.id)} — {name}", locale),
        gettext("Status: {status}").format(status=status_label(view.status)),
    ]
    if card.reviewer:
        mine = card.reviewer == f"{staff.platform}:{staff.user_id}"
        lines.append(
            gettext("Reviewer: you") if mine
            else gettext("Reviewer: {account}").format(account=isolate(card.reviewer))
        )
    if view.submitted_at:
        lines.append(gettext("Submitted: {date}").format(
            date=format_jalali(local_date(view.submitted_at, timezone), locale)
        ))
    lines += ["", gettext("👤 Applicant"), *_applicant_lines(card)]
    if card.unmet:
        names = "، ".join(gettext(UNMET_LABELS.get(rule.code, rule.code)) for rule in card.unmet)
        lines.append(gettext("⚠️ Not eligible today by: {rules}").format(rules=names))
    lines += ["", gettext("🎓 Course"), _course_line(view.course_code, course, locale)]
    answers = _answer_lines(program, view.answers, locale)
    if answers:
        lines += ["", gettext("📝 Answers"), *answers]
    lines += ["", gettext("📎 Documents"), *_document_lines(card, registry, locale)]
    text = "\n".join(lines)
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def _applicant_lines(card: StaffCard) -> list[str]:
    return applicant_lines(card.applicant)


def applicant_lines(person: Applicant) -> list[str]:
    """The person's profile as the application card shows it (the ticket card too)."""
    labels = field_labels()
    missing = gettext("—")

    def digits(value: str | None) -> str:
        return isolate(_digits(value)) if value else missing

    relief = missing if person.relief_client is None else (
        gettext("Yes") if person.relief_client else gettext("No")
    )
    if person.relief_client and person.relief_client_number:
        relief += f" ({digits(person.relief_client_number)})"
    elif person.relief_client:
        relief += " (" + gettext("client number unknown") + ")"
    decile = digits(str(person.decile)) if person.decile else gettext("I don't know")
    place = " / ".join(p for p in (person.province, person.city) if p) or missing
    lines = [
        (labels["full_name"], person.full_name or missing),
        (labels["national_code"], digits(person.national_code)),
        (labels["phone"], digits(person.phone)),
        (labels["province"] + " / " + labels["city"], place),
        (labels["decile"], decile),
        (labels["relief_client"], relief),
    ]
    if person.birth_date:
        lines.append((labels["birth_date"], format_jalali(person.birth_date, current_locale())))
    if person.gender in GENDER_LABELS:
        lines.append((labels["gender"], gettext(GENDER_LABELS[person.gender])))
    if person.education in EDUCATION_LABELS:
        lines.append((labels["education"], gettext(EDUCATION_LABELS[person.education])))
    return [f"▫️ {label}: {value}" for label, value in lines]


def _course_line(code: str | None, course: CourseCard | None, locale: str) -> str:
    if code is None:
        return gettext("No course chosen")
    if course is None:
        return lead_rtl(display_code(code, locale), locale)
    return "{code} — {title}\n{center}، {city} · {start}".format(
        code=lead_rtl(display_code(code, locale), locale),
        title=course_title(course, locale),
        center=course.center_name,
        city=course.city,
        start=gettext("starts {date}").format(date=format_jalali(course.start_date, locale)),
    )


def _answer_lines(program: Program | None, answers: dict[str, Any], locale: str) -> list[str]:
    if program is None:
        return [f"▫️ {key}: {value}" for key, value in answers.items()]
    lines = []
    for question in program.questions:
        if question.id in answers and answers[question.id] not in (None, ""):
            value = answer_text(question, answers[question.id], locale)
            lines.append(f"▫️ {question.text.for_locale(locale)}\n   {value}")
    return lines


def _document_lines(card: StaffCard, registry: ProgramRegistry, locale: str) -> list[str]:
    view = card.view
    lines = []
    for number, doc in enumerate(view.documents, 1):
        name = document_name(registry, view.program_id, doc.kind, locale)
        line = lead_rtl("{mark} {number}. {name} — {state}", locale).format(
            mark=DOCUMENT_STATE_MARKS.get(doc.state, "▫️"),
            number=_digits(number),
            name=name,
            state=document_state_label(doc.state),
        )
        if doc.size:
            line += f" ({_size_text(doc.size)})"
        if doc.state == DocumentState.REQUESTED:
            # Says whether the files above stay: the request adds to them or replaced them.
            kept = any(
                d.state in (DocumentState.RECEIVED, DocumentState.ACCEPTED)
                for d in view.documents_of(doc.kind)
            )
            line += "\n   " + (
                gettext("in addition to the files already received") if kept
                else gettext("new files (nothing kept of this kind)")
            )
        if doc.reason:
            label = gettext("note") if doc.state == DocumentState.REQUESTED else gettext("reason")
            line += f"\n   {label}: {doc.reason}"
        lines.append(line)
    if not lines:
        lines.append(gettext("No documents."))
    if card.missing_documents:
        names = "، ".join(
            document_name(registry, view.program_id, kind, locale)
            for kind in card.missing_documents
        )
        lines.append(gettext("Missing: {names}").format(names=names))
    return lines


def _size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return gettext("{n} MB").format(n=_digits(round(size / (1024 * 1024), 1)))
    return gettext("{n} KB").format(n=_digits(max(1, round(size / 1024))))


def card_keyboard(card: StaffCard, registry: ProgramRegistry) -> InlineKeyboardMarkup:
    view = card.view
    status = view.status
    reviewing = status in (Status.SUBMITTED, Status.UNDER_REVIEW, Status.NEEDS_DOCUMENTS)
    rows: list[Sequence[InlineKeyboardButton]] = []
    for number, doc in enumerate(view.documents, 1):
        shown = _digits(number)
        row = []

        def on_doc(text: str, name: str, doc_id: int = doc.id) -> InlineKeyboardButton:
            return button(text, StaffDocCb(action=name, doc=doc_id, app=view.id))

        if doc.state != DocumentState.REQUESTED:
            name = document_name(registry, view.program_id, doc.kind, current_locale())
            row.append(on_doc(f"👁 {shown}. {name}", "view"))
        if reviewing and doc.state in (DocumentState.RECEIVED, DocumentState.REJECTED):
            row.append(on_doc(f"✅ {shown}", "accept"))
        if reviewing and doc.state in (DocumentState.RECEIVED, DocumentState.ACCEPTED):
            row.append(on_doc(f"❌ {shown}", "reject"))
        rows.append(row)

    def action(label: str, name: str) -> InlineKeyboardButton:
        return button(label, StaffAppCb(action=name, app=view.id))

    unchecked = sum(d.state == DocumentState.RECEIVED for d in view.documents)
    if reviewing and unchecked > 1:
        # One press, one message to the applicant (pressing ✅ per file sends one each).
        rows.append([action(gettext("✅ Accept all unchecked ({count})").format(
            count=_digits(unchecked)), "accept_all")])
    if status in (Status.SUBMITTED, Status.NEEDS_DOCUMENTS):
        rows.append([action(gettext("🙋 Take (assign to me)"), "take")])
    if reviewing:
        rows.append([action(gettext("📎 Request documents"), "request")])
    if status == Status.UNDER_REVIEW:
        rows.append([action(gettext("✅ Approve"), "approve"),
                     action(gettext("⛔️ Reject"), "reject")])
    if status == Status.APPROVED:
        rows.append([action(gettext("🎓 Mark enrolled"), "enrolled")])
    if status == Status.ENROLLED:
        rows.append([action(gettext("🏁 Mark completed"), "completed")])
    rows.append([action(gettext("💬 Message the applicant"), "message")])
    rows.append([action(gettext("🔄 Refresh"), "open"),
                 button(gettext("📋 Queue"), StaffQueueCb(page=0))])
    return markup(rows)
