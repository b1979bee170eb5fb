"""Webhook mode: one aiohttp app with an endpoint and a secret per messenger, and /healthz."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
from typing import Any

from aiogram import Bot
from aiogram.types import Update
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web

from bot.app import Maharatyar
from bot.config import Platform, Settings
from bot.i18n import build_i18n
from bot.middlewares.dedup import UPDATES_MAY_REPEAT
from bot.serving.housekeeping import start_housekeeping, stop_housekeeping
from bot.serving.outbox import start_outbox_senders, stop_outbox_senders
from bot.serving.startup import set_commands, start_confirmation_sweep

logger = logging.getLogger(__name__)


async def healthz(_request: web.Request) -> web.Response:
    # The Docker health check asks this.
    return web.json_response({"status": "ok"})


def webhook_secret(settings: Settings, platform: Platform) -> str:
    """One secret per bot, derived so the operator keeps a single WEBHOOK_SECRET."""
    if settings.webhook_secret is None:
        raise ValueError("WEBHOOK_SECRET is required in webhook mode")
    key = settings.webhook_secret.get_secret_value().encode()
    return hmac.new(key, platform.encode(), hashlib.sha256).hexdigest()[:64]


def webhook_path(settings: Settings, platform: Platform) -> str:
    return f"{settings.webhook_path_prefix.rstrip('/')}/{platform}"


class UpdateRequestHandler(SimpleRequestHandler):
    """A body that is not an update is the sender's fault (400), not ours (500): a 500 would make
    the messenger send the same broken body again and again."""

    async def _handle_request(self, bot: Bot, request: web.Request) -> web.Response:
        try:
            update = Update.model_validate(
                await request.json(loads=bot.session.json_loads), context={"bot": bot}
            )
        except ValueError:  # malformed JSON, or JSON that is not an update (pydantic's error)
            return web.Response(status=400, text="Bad Request: not an update")
        result: Any = await self.dispatcher.feed_webhook_update(bot, update, **self.data)
        return web.Response(body=self._build_response_writer(bot=bot, result=result))


def build_webhook_app(app: Maharatyar) -> web.Application:
    web_app = web.Application()
    web_app.router.add_get("/healthz", healthz)
    for platform, bot in app.bots.items():
        # Answer only after the update is handled, so a failure makes the messenger redeliver;
        # an update already handled is then dropped (bot.middlewares.dedup).
        UpdateRequestHandler(
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
    housekeeping = start_housekeeping(app)
    sweep = start_confirmation_sweep(app)
    senders = start_outbox_senders(app)
    try:
        await asyncio.Event().wait()
    finally:
        await stop_outbox_senders(senders)
        sweep.cancel()
        await stop_housekeeping(housekeeping)
        await runner.cleanup()
        await app.close()
