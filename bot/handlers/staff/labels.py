"""Words for stored values on the staff screens, translated when shown.

A status that reads the same for staff and beneficiaries is defined once, in
bot/texts/applications.py; the ones here are worded for a reviewer on purpose."""

from __future__ import annotations

from aiogram.utils.i18n import gettext

from bot.i18n import N_
from bot.texts.applications import STATUS_LABELS as BENEFICIARY_STATUS_LABELS
from services.applications import DocumentState, Status

# A reviewer reads the workflow's own short terms («Submitted», «Under review») in queue rows and
# on the card, where a beneficiary reads what the step means for them («Sent, waiting for
# review»). The outcomes (approved, not approved, withdrawn) read the same for both.
STATUS_LABELS = {
    **BENEFICIARY_STATUS_LABELS,
    Status.DRAFT: N_("Draft"),
    Status.SUBMITTED: N_("Submitted"),
    Status.UNDER_REVIEW: N_("Under review"),
    Status.NEEDS_DOCUMENTS: N_("Waiting for documents"),
    Status.ENROLLED: N_("Enrolled"),
    Status.COMPLETED: N_("Completed"),
}

# A mark in front of each queue row, so a reviewer sees at a glance what waits for whom.
STATUS_MARKS = {
    Status.SUBMITTED: "🆕",
    Status.UNDER_REVIEW: "🔎",
    Status.NEEDS_DOCUMENTS: "📎",
}

# Lower-case fragments after «✅ 2. Passport photo — », the mark (DOCUMENT_STATE_MARKS) standing
# apart; the beneficiary's labels carry their own icon and say what the state means for them.
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

