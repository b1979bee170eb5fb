"""A one-line notice at the top of the next screen («⚠️ ...» or «✅ ...»).

Handlers store a code and its parameters in dialog_data; the getter words it at render time, in
the reader's language. Nothing here decides anything."""

from __future__ import annotations

from typing import Any

from aiogram.utils.i18n import gettext
from aiogram_dialog import DialogManager

from bot.dialogs.applications.labels import answer_error_text, upload_message
from bot.i18n import N_
from services.programs import AnswerError, Program
from services.text import is_persian_locale, localize_digits

NOTICE_KEY = "notice"

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


def set_notice(manager: DialogManager, code: str, **params: Any) -> None:
    manager.dialog_data[NOTICE_KEY] = {"family": "message", "code": code, "params": params}


def set_answer_error(manager: DialogManager, error: AnswerError) -> None:
    manager.dialog_data[NOTICE_KEY] = {
        "family": "answer", "code": error.code, "params": dict(error.params)
    }


def set_plain_answer_error(manager: DialogManager, code: str) -> None:
    manager.dialog_data[NOTICE_KEY] = {"family": "answer", "code": code, "params": {}}


def set_upload_notice(manager: DialogManager, code: str, kind: str) -> None:
    manager.dialog_data[NOTICE_KEY] = {"family": "upload", "code": code, "params": {"kind": kind}}


def clear_notice(manager: DialogManager) -> None:
    manager.dialog_data.pop(NOTICE_KEY, None)


def notice_text(manager: DialogManager, program: Program | None, locale: str | None) -> str:
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
        separator = "، " if is_persian_locale(locale) else ", "
        lines.append(_message("missing_documents").format(names=separator.join(names)))
    return "\n".join(lines)
