"""What every start does before serving: migrate, seed an empty catalog, grant the configured
administrators, and publish the command menu where the messenger has one; once the bots are up,
confirm submissions a previous run committed but never confirmed."""

from __future__ import annotations

import asyncio
import logging

from aiogram import Bot
from aiogram.types import BotCommand
from aiogram.utils.i18n import I18n

from bot.app import Maharatyar
from bot.config import PROJECT_ROOT, Settings
from bot.i18n import N_
from bot.notifications.confirmations import confirm_unconfirmed_submissions
from bot.platforms.profiles import profile_of
from services.catalog_import import seed_sample_catalog_if_empty
from services.staff import StaffService
from storage.db import create_engine, create_session_factory
from storage.migrate import upgrade_database_async

logger = logging.getLogger(__name__)
SAMPLE_CATALOG = PROJECT_ROOT / "data" / "sample_courses.csv"
COMMANDS = (
    "start", "courses", "apply", "myfile", "counseling", "profile", "notifications", "language",
    "help", "cancel",
)
COMMAND_DESCRIPTIONS = {
    "start": N_("Begin or continue"),
    "courses": N_("Skill courses"),
    "apply": N_("Apply for Hamnava or Karafan"),
    "myfile": N_("My applications and documents"),
    "counseling": N_("Career counseling"),
    "profile": N_("My profile"),
    "notifications": N_("Notifications: general news on or off"),
    "language": N_("Language / زبان"),
    "help": N_("Help"),
    "cancel": N_("Back to the main menu"),
}


async def prepare_database(settings: Settings) -> None:
    """Migrate, give an empty catalog the sample courses so a fresh install has something, and
    grant the administrators named in ADMINS."""
    await upgrade_database_async(settings.database_url)
    engine = create_engine(settings.database_url)
    try:
        session_factory = create_session_factory(engine)
        created = await seed_sample_catalog_if_empty(session_factory, SAMPLE_CATALOG)
        if created:
            logger.info("loaded %s sample courses into the empty catalog", created)
        await StaffService(session_factory).grant_admins(settings.admin_accounts)
    finally:
        await engine.dispose()


async def set_commands(bot: Bot, i18n: I18n) -> None:
    if not profile_of(bot).supports_commands_menu:
        return
    for locale in ("fa", "en"):
        commands = [
            BotCommand(command=name, description=i18n.gettext(COMMAND_DESCRIPTIONS[name],
                                                              locale=locale))
            for name in COMMANDS
        ]
        await bot.set_my_commands(commands, language_code=None if locale == "fa" else locale)


def start_confirmation_sweep(app: Maharatyar) -> asyncio.Task[None]:
    """In the background, so serving does not wait for a backlog of messages; the caller cancels
    the task when it stops."""

    async def sweep() -> None:
        try:
            await confirm_unconfirmed_submissions(app.services.application_service, app.notifier)
        except Exception:
            # The submissions stay unconfirmed: the next start tries again.
            logger.exception("confirming earlier submissions failed")

    return asyncio.create_task(sweep(), name="confirm-earlier-submissions")
