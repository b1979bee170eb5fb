"""The start-up sweep: every submission whose tracking code never reached the person (the
process died between the commit and the confirmation) is confirmed now, in the same words as
the submit screen, on every messenger of the person, then marked so no later start repeats it."""

from __future__ import annotations

import logging

from bot.i18n import current_locale
from bot.notifications.notifier import Notifier, Render
from bot.texts.applications import submission_confirmation
from services.applications import ApplicationService
from services.programs import Program

logger = logging.getLogger(__name__)


async def confirm_unconfirmed_submissions(
    applications: ApplicationService, notifier: Notifier
) -> int:
    """Returns how many submissions were confirmed now."""
    confirmed = 0
    for submission in await applications.unconfirmed_submissions():
        program = applications.registry.get(submission.program_id)
        delivery = await notifier.send(
            submission.person_id, _words(program, submission.tracking_code)
        )
        # A messenger that failed now gets another try at the next start; one where the person
        # blocked the bot, or a person with no chat at all, never will.
        if delivery.reached or not delivery.failed:
            await applications.mark_confirmed(submission.app_id)
            confirmed += delivery.reached
    if confirmed:
        logger.info("sent %s submission confirmation(s) a previous run had not sent", confirmed)
    return confirmed


def _words(program: Program | None, code: str) -> Render:
    return lambda: submission_confirmation(program, code, current_locale())
