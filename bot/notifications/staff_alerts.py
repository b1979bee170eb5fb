"""Telling the caseworkers' staff group of each messenger that a beneficiary did something they
must look at (documents sent back, an application withdrawn).

The group is the configured staff chat of each running bot (STAFF_CHAT_TELEGRAM,
STAFF_CHAT_BALE), as the registration-conflict alert uses. The words carry only what the staff
card shows at its top: the tracking code (isolated), the program and the province; never a
name, a national code or a phone."""

from __future__ import annotations

import logging
from typing import cast

from aiogram.exceptions import TelegramAPIError
from aiogram.utils.i18n import gettext

from bot.config import Platform, Settings
from bot.i18n import current_locale
from bot.notifications.notifier import Notifier
from bot.texts.applications import UNKNOWN_PROGRAM, program_name, tracking
from services.applications import ApplicationView
from services.programs import ProgramRegistry
from services.text import isolate_commands

logger = logging.getLogger(__name__)

DOCUMENTS_RESENT = "documents_resent"
WITHDRAWN = "withdrawn"


async def alert_staff(
    notifier: Notifier, settings: Settings, registry: ProgramRegistry, view: ApplicationView,
    event: str,
) -> int:
    """Post the alert to every configured staff group; the number of groups reached. A failure
    is logged and never undoes what the beneficiary did."""
    reached = 0
    for platform, bot in notifier.bots.items():
        chat_id = settings.staff_chat_for(cast(Platform, platform))
        if chat_id is None:
            continue
        text = notifier.render(
            lambda: _alert_text(registry, view, event), settings.default_locale
        )
        try:
            await bot.send_message(chat_id=chat_id, text=text)
        except (TelegramAPIError, OSError, TimeoutError) as error:
            logger.warning("staff alert for application %s on %s failed: %s",
                           view.id, platform, type(error).__name__)
        else:
            reached += 1
    return reached


def _alert_text(registry: ProgramRegistry, view: ApplicationView, event: str) -> str:
    locale = current_locale()
    params = {
        "code": tracking(view.tracking_code, locale),
        "program": program_name(registry.get(view.program_id), locale, UNKNOWN_PROGRAM),
        "province": view.province or gettext("—"),
    }
    if event == DOCUMENTS_RESENT:
        text = gettext("📨 Documents were sent back for application {code} ({program}, "
                       "{province}). It is waiting for review again in /queue.")
    else:
        text = gettext("↩️ The applicant withdrew application {code} ({program}, {province}).")
    return isolate_commands(text.format(**params))
