"""The background chores of a running service (polling, webhooks, the sandbox): a periodic
purge of idle conversation-state rows when they live in the database. With Redis the keys carry
a time to live instead (bot.fsm.build), so there is nothing to purge."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import Maharatyar
from services.housekeeping import purge_idle_conversations

logger = logging.getLogger(__name__)

# Soon after start (a restart after a long stop catches up at once), not during start-up itself.
FIRST_RUN_AFTER_SECONDS = 60.0
EVERY_SECONDS = 6 * 3600.0


def start_housekeeping(app: Maharatyar) -> asyncio.Task[None] | None:
    if app.settings.redis_url:
        return None
    return asyncio.create_task(
        _purge_forever(app.session_factory, app.settings.fsm_idle_days),
        name="purge-idle-conversations",
    )


async def stop_housekeeping(task: asyncio.Task[None] | None) -> None:
    if task is None:
        return
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


async def _purge_forever(
    session_factory: async_sessionmaker[AsyncSession], idle_days: int
) -> None:
    await asyncio.sleep(FIRST_RUN_AFTER_SECONDS)
    while True:
        try:
            removed = await purge_idle_conversations(session_factory, idle_days=idle_days)
        except Exception:  # a database hiccup must not end the chore for the process' life
            logger.exception("purging idle conversation states failed; trying again later")
        else:
            logger.info(
                "purged %s conversation state(s) idle for more than %s days", removed, idle_days
            )
        await asyncio.sleep(EVERY_SECONDS)
