"""Every sentence about an application a person (or a caseworker) reads: status names, document
states, unmet eligibility rules, upload and submit outcomes, answer errors.

The staff screens word some statuses differently, for a reviewer (bot/handlers/staff/labels.py);
the ones that read the same are taken from here. The msgids are English; translate at render
time (call these where a gettext locale is active)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from aiogram.utils.i18n import gettext

from bot.dialogs.registration.labels import EDUCATION_LABELS
from bot.i18n import N_
from services.applications import DocumentOutcome, DocumentState, Status
from services.programs import AnswerError, UnmetRule
from services.text import is_persian_locale, localize_digits

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


# Upload answers that are not a DocumentOutcome: the UI decides these before the service sees
# any bytes.
NOT_A_FILE = "not_a_file"
ALBUM = "album"
DOWNLOAD_FAILED = "download_failed"

UPLOAD_MESSAGES = {
    DocumentOutcome.ACCEPTED: N_("✅ Received: {name}."),
    DocumentOutcome.DUPLICATE: N_(
        "You have already sent this same file for «{name}». Nothing new was added."
    ),
    DocumentOutcome.EMPTY: N_("This file is empty. Please send it again."),
    DocumentOutcome.TOO_BIG: N_(
        "This file is too big. For «{name}» the limit is {limit} MB. Please send a smaller "
        "file, or a photo of the paper."
    ),
    DocumentOutcome.WRONG_TYPE: N_(
        "This file is not a real {types} file, whatever its name says. Please send a photo of "
        "the paper, or a file of one of these kinds."
    ),
    DocumentOutcome.DAMAGED: N_(
        "This file seems damaged or incomplete and cannot be opened. Please send it again, or "
        "send a photo of the paper."
    ),
    DocumentOutcome.IMAGE_TOO_LARGE: N_(
        "This picture is too large to open safely. Please send it as an ordinary photo (not as "
        "a file), or a smaller picture."
    ),
    DocumentOutcome.PROTECTED: N_(
        "This PDF is locked with a password, so the caseworker could not open it. Please send "
        "it without a password, or send a photo of the paper."
    ),
    DocumentOutcome.UNSAFE: N_(
        "This file carries more than a document (a script, a program or an attached file), so "
        "for everyone's safety it cannot be accepted. Please send a photo of the paper."
    ),
    DocumentOutcome.TOO_MANY: N_(
        "You have already sent {count} file(s) for «{name}», which is the most it takes. "
        "Remove one first if you want to replace it."
    ),
    DocumentOutcome.NOT_ALLOWED_NOW: N_("This application does not take this document now."),
    DocumentOutcome.UNKNOWN_KIND: N_("This program does not ask for that document."),
    DocumentOutcome.NOT_FOUND: N_("This application was not found. Please use the menu."),
    NOT_A_FILE: N_(
        "Please send the document as a photo or as a file ({types}). Stickers, voice "
        "messages, videos and text cannot be kept as documents."
    ),
    ALBUM: N_(
        "You sent several photos or files together. Please send them one at a time, so each "
        "is filed in the right place. None of them was kept."
    ),
    DOWNLOAD_FAILED: N_("The messenger did not hand me this file. Please send it again."),
}

TYPE_NAMES = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}


def type_names(accepted: Iterable[str]) -> str:
    """«PDF/JPEG/PNG», always in that order whatever the program file lists."""
    wanted = set(accepted)
    return "/".join(name for mime, name in TYPE_NAMES.items() if mime in wanted)


def megabytes(max_bytes: int, locale: str | None) -> str:
    """A size limit in whole megabytes (at least 1), in the reader's digits."""
    return localize_digits(str(max(1, round(max_bytes / (1024 * 1024)))), locale)


def upload_message(
    code: str, *, name: str, accepted: Iterable[str], max_bytes: int, max_count: int,
    locale: str | None,
) -> str:
    msgid = UPLOAD_MESSAGES.get(code, UPLOAD_MESSAGES[DOWNLOAD_FAILED])
    return gettext(msgid).format(
        name=name,
        types=type_names(accepted),
        limit=megabytes(max_bytes, locale),
        count=localize_digits(str(max_count), locale),
    )


# --- answers to program questions -------------------------------------------------------------

ANSWER_ERRORS = {
    "required": N_("This question needs an answer."),
    "choice.unknown": N_("Please choose one of the buttons under the question."),
    "yes_no.invalid": N_("Please press «Yes» or «No»."),
    "number.invalid": N_("Please type a number, like 3."),
    "number.too_small": N_("The number must be at least {min}."),
    "number.too_large": N_("The number must be at most {max}."),
    "text.too_long": N_("Please keep it shorter: at most {max_length} characters."),
    "date.format": N_("Please type the date like 1405/10/1 (year/month/day)."),
    "date.not_exist": N_("This date does not exist in the calendar. Please check it."),
    "date.in_future": N_("This date is in the future. Please type a date that has passed."),
    "date.in_past": N_("This date has already passed. Please type a date from today on."),
    "need_text": N_("Please type your answer as text. Stickers, photos and voice are not read."),
}


def answer_error_text(code: str, params: dict[str, Any] | None, locale: str | None) -> str:
    msgid = ANSWER_ERRORS.get(code, N_("This answer is not valid. Please try again."))
    values = {
        key: localize_digits(str(value), locale) if value is not None else "—"
        for key, value in (params or {}).items()
    }
    return gettext(msgid).format_map(_Keep(values))


def answer_error_of(error: AnswerError, locale: str | None) -> str:
    return answer_error_text(error.code, error.params, locale)


class _Keep(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


# --- eligibility ------------------------------------------------------------------------------

REMEDIES = {
    "update_profile": N_(
        "What to do: add or correct this in your profile (press «👤 Update my profile» or "
        "send /profile), then try again."
    ),
    "caseworker": N_(
        "What to do: if you think this is not right, please talk to a caseworker of the "
        "Relief Committee or the Hayat Foundation."
    ),
}


def unmet_sentences(unmet: Sequence[UnmetRule], locale: str | None) -> list[str]:
    """One plain sentence per rule not met (alternatives as sub-lines), then what to do."""
    lines: list[str] = []
    for rule in unmet:
        if rule.code == "any_of" and rule.alternatives:
            lines.append("• " + gettext("You need at least one of these:"))
            lines.extend("    ◦ " + _rule_sentence(inner, locale) for inner in rule.alternatives)
        else:
            lines.append("• " + _rule_sentence(rule, locale))
    remedies = [r.remedy for r in unmet]
    for remedy in ("update_profile", "caseworker"):
        if remedy in remedies:
            lines.append(gettext(REMEDIES[remedy]))
    return lines


def _rule_sentence(rule: UnmetRule, locale: str | None) -> str:
    p = rule.params

    def number(value: Any) -> str:
        return localize_digits(str(value), locale)

    if rule.code == "decile":
        allowed = _number_span(p.get("allowed") or [], locale)
        if p.get("actual") is None:
            return gettext(
                "This program is for households in income deciles {allowed}, and your profile "
                "does not say your decile."
            ).format(allowed=allowed)
        return gettext(
            "This program is for households in income deciles {allowed}; your profile says "
            "decile {actual}."
        ).format(allowed=allowed, actual=number(p["actual"]))
    if rule.code == "relief_client":
        return gettext(
            "This program is for clients of the Imam Khomeini Relief Committee, and your profile "
            "says you are not one (or does not say)."
        )
    if rule.code == "age":
        return _age_sentence(p, number)
    if rule.code == "education":
        needed = _education(p.get("min"))
        if p.get("actual") is None:
            return gettext(
                "This program needs at least this education: {needed}; your profile does not "
                "say your education."
            ).format(needed=needed)
        return gettext(
            "This program needs at least this education: {needed}; your profile says: {actual}."
        ).format(needed=needed, actual=_education(p.get("actual")))
    if rule.code == "province":
        allowed = ("، " if is_persian_locale(locale) else ", ").join(p.get("allowed") or [])
        if p.get("actual") is None:
            return gettext(
                "This program is only for people living in: {allowed}; your profile does not say "
                "your province."
            ).format(allowed=allowed)
        return gettext(
            "This program is only for people living in: {allowed}; your profile says {actual}."
        ).format(allowed=allowed, actual=p["actual"])
    return gettext("One of the program's conditions is not met.")


def _age_sentence(p: dict[str, Any], number: Any) -> str:
    low, high, actual = p.get("min"), p.get("max"), p.get("actual")
    if low is not None and high is not None:
        rule = gettext("This program is for people aged {min} to {max}").format(
            min=number(low), max=number(high)
        )
    elif low is not None:
        rule = gettext("This program is for people aged {min} or more").format(min=number(low))
    else:
        rule = gettext("This program is for people aged {max} or less").format(max=number(high))
    if actual is None:
        return rule + gettext(", and your profile has no birth date.")
    return rule + gettext("; by your profile you are {age}.").format(age=number(actual))


def _education(level: Any) -> str:
    msgid = EDUCATION_LABELS.get(str(level)) if level else None
    return gettext(msgid) if msgid else "—"


def _number_span(values: Sequence[int], locale: str | None) -> str:
    """[1, 2, 3, 4] -> «1 to 4»; anything else as a list."""
    ordered = sorted(int(v) for v in values)
    if not ordered:
        return "—"
    if len(ordered) > 2 and ordered == list(range(ordered[0], ordered[-1] + 1)):
        text = gettext("{first} to {last}").format(first=ordered[0], last=ordered[-1])
    else:
        text = ", ".join(str(v) for v in ordered)
    return localize_digits(text, locale)
