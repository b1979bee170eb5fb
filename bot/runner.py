"""Running the service: long polling, webhooks, or the local sandbox. Each builds the app once."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging

from aiogram import Bot
from aiogram.types import BotCommand
from aiogram.utils.i18n import I18n
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import Maharatyar, build_app
from bot.config import PROJECT_ROOT, Platform, Settings
from bot.health import healthz
from bot.i18n import N_, build_i18n
from bot.middlewares.dedup import UPDATES_MAY_REPEAT
from bot.platforms import profile_of
from bot.services.catalog_import import seed_sample_catalog_if_empty
from storage.db import create_engine, create_session_factory
from storage.migrate import upgrade_database_async
from storage.repositories.staff import StaffRepository

logger = logging.getLogger(__name__)
SAMPLE_CATALOG = PROJECT_ROOT / "data" / "sample_courses.csv"
COMMANDS = (
    "start", "courses", "apply", "myfile", "counseling", "profile", "language", "help", "cancel"
)
COMMAND_DESCRIPTIONS = {
    "start": N_("Begin or continue"),
    "courses": N_("Skill courses"),
    "apply": N_("Apply for Hamnava or Karafan"),
    "myfile": N_("My applications and documents"),
    "counseling": N_("Career counseling"),
    "profile": N_("My profile"),
    "language": N_("Language / زبان"),
    "help": N_("Help"),
    "cancel": N_("Back to the main menu"),
}


async def prepare_database(settings: Settings) -> None:
    """Migrate, and give an empty catalog the sample courses so a fresh install has something."""
    await upgrade_database_async(settings.database_url)
    engine = create_engine(settings.database_url)
    try:
        session_factory = create_session_factory(engine)
        created = await seed_sample_catalog_if_empty(session_factory, SAMPLE_CATALOG)
        if created:
            logger.info("loaded %s sample courses into the empty catalog", created)
        await grant_configured_admins(settings, session_factory)
    finally:
        await engine.dispose()


async def grant_configured_admins(
    settings: Settings, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    """ADMINS names the first administrators; granting is idempotent, so each start re-applies."""
    if not settings.admin_accounts:
        return
    async with session_factory() as session:
        staff = StaffRepository(session)
        for platform, user_id in sorted(settings.admin_accounts):
            await staff.grant(platform, user_id, "admin")
        await session.commit()


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


async def run_polling(app: Maharatyar) -> None:
    i18n = build_i18n(app.settings.default_locale)
    for bot in app.bots.values():
        await bot.delete_webhook(drop_pending_updates=False)
        await set_commands(bot, i18n)
    try:
        await app.dispatcher.start_polling(
            *app.bots.values(),
            allowed_updates=app.dispatcher.resolve_used_update_types(),
            handle_signals=True,
            close_bot_session=False,
        )
    finally:
        await app.close()


def webhook_secret(settings: Settings, platform: Platform) -> str:
    """One secret per bot, derived so the operator keeps a single WEBHOOK_SECRET."""
    if settings.webhook_secret is None:
        raise ValueError("WEBHOOK_SECRET is required in webhook mode")
    key = settings.webhook_secret.get_secret_value().encode()
    return hmac.new(key, platform.encode(), hashlib.sha256).hexdigest()[:64]


def webhook_path(settings: Settings, platform: Platform) -> str:
    return f"{settings.webhook_path_prefix.rstrip('/')}/{platform}"


def build_webhook_app(app: Maharatyar) -> web.Application:
    web_app = web.Application()
    web_app.router.add_get("/healthz", healthz)
    for platform, bot in app.bots.items():
        # Answer only after the update is handled, so a crash makes the messenger redeliver;
        # a redelivered update is then dropped (bot.middlewares.dedup).
        SimpleRequestHandler(
            dispatcher=app.dispatcher,
            bot=bot,
            secret_token=webhook_secret(app.settings, platform),
            handle_in_background=False,
            **{UPDATES_MAY_REPEAT: True},
        ).register(web_app, path=webhook_path(app.settings, platform))
    return web_app


async def run_webhook(app: Maharatyar) -> None:
    settings = app.settings
    assert settings.webhook_base_url is not None
    i18n = build_i18n(settings.default_locale)
    for platform, bot in app.bots.items():
        await set_commands(bot, i18n)
        await bot.set_webhook(
            settings.webhook_base_url.rstrip("/") + webhook_path(settings, platform),
            secret_token=webhook_secret(settings, platform),
            allowed_updates=app.dispatcher.resolve_used_update_types(),
        )
    runner = web.AppRunner(build_webhook_app(app), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, settings.webhook_host, settings.webhook_port).start()
    logger.info("webhooks served on %s:%s", settings.webhook_host, settings.webhook_port)
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()
        await app.close()


async def run(settings: Settings) -> None:
    if not settings.configured_platforms:
        from bot.sandbox.runner import run_sandbox

        await run_sandbox(settings)
        return
    await prepare_database(settings)
    app = await build_app(settings)
    if settings.webhook_base_url:
        await run_webhook(app)
    else:
        await run_polling(app)
