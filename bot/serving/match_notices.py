"""The match-notice sweep of a running service: every MATCH_SWEEP_SECONDS, the notices that are
due (services/match_notices.py) become outbox rows, and this process's senders are woken.

Several workers may run it: the one holding the "match-notices" lease (a row in the outbox
leases table, taken by a conditional UPDATE) sweeps; and even two sweeps at once claim disjoint
notices, so nobody is told twice."""

from __future__ import annotations

import asyncio
import logging

from bot.app import Maharatyar
from bot.notifications.sender import new_holder_id
from services.match_notices import deliver_all_due

logger = logging.getLogger(__name__)

LEASE_NAME = "match-notices"


def start_match_sweep(app: Maharatyar) -> asyncio.Task[None]:
    return asyncio.create_task(_sweep_forever(app, new_holder_id()), name="match-notices")


async def _sweep_forever(app: Maharatyar, holder: str) -> None:
    every = app.settings.match_sweep_seconds
    while True:
        try:
            await sweep_once(app, holder, lease_seconds=every * 3)
        except Exception:  # a database hiccup must not end the sweep for the process' life
            logger.exception("match-notice sweep failed; trying again later")
        await asyncio.sleep(every)


async def sweep_once(app: Maharatyar, holder: str, *, lease_seconds: float) -> int:
    """Returns the outbox rows written (0 when another worker holds the lease)."""
    services = app.services
    if not await services.outbox_service.take_lease(LEASE_NAME, holder, lease_seconds):
        return 0
    done = await deliver_all_due(app.session_factory, services.match_notice_ledger)
    if done.messages:
        logger.info(
            "match notices: %s message(s) to %s person(s) queued, %s dropped, %s held for "
            "tomorrow, %s unreachable", done.messages, len(done.persons), done.dropped,
            done.postponed, done.unreachable,
        )
        app.notifier.queued()
    return done.messages
