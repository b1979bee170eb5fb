"""Words for stored values on the staff screens and in notifications, translated when shown.

(The beneficiary screens may keep their own labels in bot/dialogs/applications/labels.py; the
msgids here are the same English phrases, so the catalog translates them once.)"""

from __future__ import annotations

from aiogram.utils.i18n import gettext

from bot.i18n import N_
from bot.services.applications import DocumentState, Status
from bot.services.programs import Program, ProgramRegistry

STATUS_LABELS = {
    Status.DRAFT: N_("Draft"),
    Status.SUBMITTED: N_("Submitted"),
    Status.UNDER_REVIEW: N_("Under review"),
    Status.NEEDS_DOCUMENTS: N_("Waiting for documents"),
    Status.APPROVED: N_("Approved"),
    Status.REJECTED: N_("Not approved"),
    Status.ENROLLED: N_("Enrolled"),
    Status.COMPLETED: N_("Completed"),
    Status.WITHDRAWN: N_("Withdrawn"),
}

# A mark in front of each queue row, so a reviewer sees at a glance what waits for whom.
STATUS_MARKS = {
    Status.SUBMITTED: "🆕",
    Status.UNDER_REVIEW: "🔎",
    Status.NEEDS_DOCUMENTS: "📎",
}

DOCUMENT_STATE_LABELS = {
    DocumentState.RECEIVED: N_("received, not checked yet"),
    DocumentState.ACCEPTED: N_("accepted"),
    DocumentState.REJECTED: N_("rejected"),
    DocumentState.REQUESTED: N_("requested, not sent yet"),
    DocumentState.SUPERSEDED: N_("replaced"),
}

DOCUMENT_STATE_MARKS = {
    DocumentState.RECEIVED: "🆕",
    DocumentState.ACCEPTED: "✅",
    DocumentState.REJECTED: "❌",
    DocumentState.REQUESTED: "⏳",
    DocumentState.SUPERSEDED: "▫️",
}

UNMET_LABELS = {
    "decile": N_("income decile"),
    "relief_client": N_("Relief Committee client"),
    "age": N_("age"),
    "education": N_("education"),
    "province": N_("province"),
    "any_of": N_("none of the alternatives"),
}


def status_label(status: Status) -> str:
    return gettext(STATUS_LABELS[status])


def document_state_label(state: DocumentState) -> str:
    return gettext(DOCUMENT_STATE_LABELS[state])


def program_name(program: Program | None, locale: str, *, short: bool = False) -> str:
    if program is None:
        return "?"
    name = program.name.for_locale(locale)
    # «همنوا (بورسیه مهارتی)» -> «همنوا» where a button has little room.
    return name.split(" (")[0] if short else name


def document_name(registry: ProgramRegistry, program_id: str | None, kind: str, locale: str) -> str:
    """The program's name for a document kind; any program's if the program is not known."""
    programs = [registry.get(program_id)] if program_id else []
    for program in [*programs, *registry.all()]:
        requirement = program.document(kind) if program is not None else None
        if requirement is not None:
            return requirement.name.for_locale(locale)
    return kind
