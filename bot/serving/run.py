"""`python -m bot run`: the sandbox when no messenger token is set, else webhooks when a public
address is set, else long polling."""

from __future__ import annotations

import gc

from bot.app import build_app
from bot.config import Settings
from bot.serving.api import api_beside_bots
from bot.serving.polling import run_polling
from bot.serving.sandbox import run_sandbox
from bot.serving.startup import prepare_database
from bot.serving.webhook import run_webhook


async def run(settings: Settings) -> None:
    if not settings.configured_platforms:
        await run_sandbox(settings)
        return
    await prepare_database(settings)
    app = await build_app(settings)
    # What start-up made (modules, routers, dialogs, loaded data) lives as long as the process:
    # kept out of the collector's full passes, which otherwise walk it all every time.
    gc.freeze()
    async with api_beside_bots(settings, app.services, app.session_factory):
        if settings.webhook_base_url:
            await run_webhook(app)
        else:
            await run_polling(app)
