"""The background chores of a running service (polling, webhooks, the sandbox): a periodic purge
of outbox rows finished more than OUTBOX_KEEP_DAYS ago, of the API clients' webhook deliveries
finished more than API_WEBHOOK_KEEP_DAYS ago, and of idle conversation-state rows when
they live in the database (with Redis the keys carry a time to live instead, bot.fsm.build).

Every worker runs them: each is one bounded DELETE, so two workers at once only share the work."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from bot.app import Maharatyar
from services.broadcasts import purge_outbox
from services.housekeeping import purge_idle_conversations
from services.webhooks.service import purge_deliveries

logger = logging.getLogger(__name__)

# Soon after start (a restart after a long stop catches up at once), not during start-up itself.
FIRST_RUN_AFTER_SECONDS = 60.0
EVERY_SECONDS = 6 * 3600.0


def start_housekeeping(app: Maharatyar) -> asyncio.Task[None]:
    return asyncio.create_task(_chores_forever(app), name="housekeeping")


async def stop_housekeeping(task: asyncio.Task[None] | None) -> None:
    if task is None:
        return
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


async def _chores_forever(app: Maharatyar) -> None:
    await asyncio.sleep(FIRST_RUN_AFTER_SECONDS)
    while True:
        await run_chores(app)
        await asyncio.sleep(EVERY_SECONDS)


async def run_chores(app: Maharatyar) -> None:
    settings = app.settings
    # A database hiccup must not end the chores for the process' life: each is tried again later.
    if not settings.redis_url:
        try:
            removed = await purge_idle_conversations(
                app.session_factory, idle_days=settings.fsm_idle_days
            )
        except Exception:
            logger.exception("purging idle conversation states failed; trying again later")
        else:
            logger.info("purged %s conversation state(s) idle for more than %s days",
                        removed, settings.fsm_idle_days)
    try:
        removed = await purge_outbox(app.session_factory, keep_days=settings.outbox_keep_days)
    except Exception:
        logger.exception("purging old outbox rows failed; trying again later")
    else:
        logger.info("purged %s outbox row(s) finished more than %s days ago",
                    removed, settings.outbox_keep_days)
    try:
        removed = await purge_deliveries(
            app.session_factory, keep_days=settings.api_webhook_keep_days
        )
    except Exception:
        logger.exception("purging old webhook deliveries failed; trying again later")
    else:
        logger.info("purged %s webhook deliveries finished more than %s days ago",
                    removed, settings.api_webhook_keep_days)
