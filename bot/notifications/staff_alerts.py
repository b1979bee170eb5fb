"""The words of the caseworkers' staff group alerts (services/staff_alerts.py queues them in the
outbox; the sender posts them in each messenger's staff group, in the default language).

The words carry only what the staff card shows at its top: the tracking code (isolated), the
program and the province; never a name, a national code or a phone. A conflict is named by its
case number only: staff with a role look it up."""

from __future__ import annotations

from aiogram.utils.i18n import gettext

from bot.i18n import current_locale
from bot.notifications.outgoing import Outgoing
from bot.notifications.sender import Wording
from bot.texts.applications import UNKNOWN_PROGRAM, program_name, tracking
from services.outbox import OutboxItem
from services.programs import ProgramRegistry
from services.staff_alerts import (
    DOCUMENTS_RESENT,
    IDENTITY_CONFLICT,
    NEW_SUBMISSION,
    STAFF_ALERT,
    SUBMISSION_DIGEST,
    WITHDRAWN,
    AlertedApplication,
    StaffAlertService,
    SubmissionCount,
    parse_moment,
)
from services.text import isolate_commands, localize_digits


def staff_alert_wordings(
    alerts: StaffAlertService, registry: ProgramRegistry
) -> dict[str, Wording]:
    async def staff_alert(item: OutboxItem) -> Outgoing | None:
        event = item.payload.get("event")
        if event == IDENTITY_CONFLICT:
            number = int(item.payload["conflict_id"])
            return Outgoing(render=lambda: _conflict_text(number))
        if event not in (DOCUMENTS_RESENT, WITHDRAWN):
            raise LookupError(f"no words for staff alert event {event!r}")
        app = await alerts.application(int(item.payload["application_id"]))
        if app is None:
            return None  # deleted with its person: nothing left to look at
        return Outgoing(render=lambda: _application_text(registry, app, str(event)))

    async def new_submission(item: OutboxItem) -> Outgoing | None:
        app = await alerts.application(int(item.payload["application_id"]))
        if app is None:
            return None
        return Outgoing(render=lambda: _application_text(registry, app, NEW_SUBMISSION))

    async def digest(item: OutboxItem) -> Outgoing | None:
        provinces = item.payload.get("provinces")
        counts = await alerts.submissions(
            parse_moment(item.payload["since"]), parse_moment(item.payload["until"]),
            [str(p) for p in provinces] if isinstance(provinces, list) else None,
        )
        if not counts:
            return None
        return Outgoing(render=lambda: _digest_text(registry, counts))

    return {STAFF_ALERT: staff_alert, NEW_SUBMISSION: new_submission, SUBMISSION_DIGEST: digest}


def _application_text(registry: ProgramRegistry, app: AlertedApplication, event: str) -> str:
    locale = current_locale()
    params = {
        "code": tracking(app.tracking_code, locale),
        "program": program_name(registry.get(app.program_id), locale, UNKNOWN_PROGRAM),
        "province": app.province or gettext("—"),
    }
    if event == NEW_SUBMISSION:
        text = gettext("📥 New application {code} ({program}, {province}) is waiting in /queue.")
    elif event == DOCUMENTS_RESENT:
        text = gettext("📨 Documents were sent back for application {code} ({program}, "
                       "{province}). It is waiting for review again in /queue.")
    else:
        text = gettext("↩️ The applicant withdrew application {code} ({program}, {province}).")
    return isolate_commands(text.format(**params))


def _digest_text(registry: ProgramRegistry, counts: list[SubmissionCount]) -> str:
    locale = current_locale()
    total = sum(c.count for c in counts)
    lines = [gettext("📥 New applications since the last alert: {count}. They are waiting in "
                     "/queue.").format(count=localize_digits(str(total), locale))]
    for c in counts:
        lines.append(gettext("• {program}, {province}: {count}").format(
            program=program_name(registry.get(c.program_id), locale, UNKNOWN_PROGRAM),
            province=c.province or gettext("—"),
            count=localize_digits(str(c.count), locale),
        ))
    return isolate_commands("\n".join(lines))


def _conflict_text(number: int) -> str:
    # No personal data in the group: staff with a role look the case up by its number.
    return gettext(
        "A registration conflict was recorded (case {number}). Please review it."
    ).format(number=localize_digits(str(number), current_locale()))
