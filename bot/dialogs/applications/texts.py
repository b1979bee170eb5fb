"""The apply form's own words: upload outcomes, answer errors, unmet eligibility rules, and the
one-line notices on top of its screens («⚠️ ...» or «✅ ...»; My file shows them too). The msgids
are English; translate at render time."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from aiogram.utils.i18n import gettext
from aiogram_dialog import DialogManager

from bot.dialogs.applications.dialog_data import NOTICE_KEY
from bot.i18n import N_
from bot.texts.profile import EDUCATION_LABELS
from services.applications import DocumentOutcome
from services.programs import AnswerError, Program, UnmetRule
from services.text import is_persian_locale, isolate_commands, join_words, localize_digits

# --- uploads ----------------------------------------------------------------------------------

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
    "date.out_of_range": N_("Please type a Jalali date between {first_year} and {last_year}."),
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
            lines.append(isolate_commands(gettext(REMEDIES[remedy])))
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


# --- notices on top of the next screen -------------------------------------------------------

MESSAGES = {
    "active_exists": N_(
        "You already have an application to this program in progress. You can follow it in "
        "«📂 My file»."
    ),
    "course_set": N_("✅ The course is saved in your application."),
    "course_closed": N_(
        "⚠️ The course in your application no longer takes applications (it is full, has "
        "started, or changed). Please choose another course."
    ),
    "course_not_qualified": N_(
        "⚠️ This course does not take applications for this program now. Please choose another."
    ),
    "course_unknown": N_("⚠️ This course is no longer in the catalog. Please choose another."),
    "no_course_in_province": N_(
        "There is no open course for this program in your province right now; here are the "
        "courses in all provinces."
    ),
    "no_courses": N_(
        "⚠️ There is no open course for this program right now. Please look again in a few days."
    ),
    "pick_document_first": N_(
        "⚠️ First press the button of the document you are sending, then send the photo or file."
    ),
    "removed": N_("🗑 The file was removed."),
    "not_removed": N_("⚠️ This file cannot be removed now."),
    "incomplete": N_("⚠️ Your application is not complete yet:"),
    "missing_course": N_("• choose a course"),
    "missing_answers": N_("• answer question(s) {numbers}"),
    "missing_documents": N_("• send: {names}"),
    "not_allowed_now": N_("⚠️ This application cannot be sent now."),
    "not_found": N_("⚠️ This application is no longer available. Please use the menu."),
    "discarded": N_("🗑 The unfinished application was discarded."),
    "documents_sent": N_(
        "✅ Thank you! Your documents went to the caseworker, who will look at them again."
    ),
    "reason_text": N_("Please type the reason as text, or just press a button."),
    "cannot_withdraw": N_(
        "⚠️ This application cannot be withdrawn now: a decision has already been made."
    ),
    "withdrawn": N_("↩️ Your application is withdrawn."),
    "course_from_card": N_(
        "The course you chose does not count for any program you can apply to right now."
    ),
}


def notice_text(manager: DialogManager, program: Program | None, locale: str | None) -> str:
    """The notice set_notice & co. stored (dialog_data.py), in the reader's words."""
    notice = manager.dialog_data.get(NOTICE_KEY)
    if not isinstance(notice, dict):
        return ""
    code = str(notice.get("code", ""))
    raw_params = notice.get("params")
    params: dict[str, Any] = raw_params if isinstance(raw_params, dict) else {}
    family = notice.get("family")
    if family == "answer":
        return "⚠️ " + answer_error_text(code, params, locale)
    if family == "upload":
        requirement = program.document(str(params.get("kind"))) if program else None
        if requirement is None:
            return ""
        text = upload_message(
            code,
            name=requirement.name.for_locale(locale),
            accepted=requirement.accepted,
            max_bytes=requirement.max_bytes,
            max_count=requirement.max_count,
            locale=locale,
        )
        return text if code == "accepted" else "⚠️ " + text
    msgid = MESSAGES.get(code)
    if msgid is None:
        return ""
    if code == "incomplete":
        return _incomplete(params, program, locale)
    return gettext(msgid)


def _message(code: str) -> str:
    # Not gettext(MESSAGES["..."]): the extractor would take the key for a msgid.
    return gettext(MESSAGES[code])


def _incomplete(params: dict[str, Any], program: Program | None, locale: str | None) -> str:
    lines = [_message("incomplete")]
    if params.get("course"):
        lines.append(_message("missing_course"))
    if params.get("answers"):
        numbers = ", ".join(localize_digits(str(n), locale) for n in params["answers"])
        lines.append(_message("missing_answers").format(numbers=numbers))
    if params.get("documents"):
        names = []
        for kind in params["documents"]:
            requirement = program.document(kind) if program else None
            names.append(requirement.name.for_locale(locale) if requirement else str(kind))
        lines.append(_message("missing_documents").format(names=join_words(names, locale)))
    return "\n".join(lines)
