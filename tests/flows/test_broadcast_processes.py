"""A broadcast sent by real worker processes against the sandbox Bot API enforcing Telegram's
flood limits: a worker SIGKILLed half-way and a new one started lose nothing, and repeat only
what was in flight; two workers started together send each message once, within the limits.

Each run starts `python -m bot run` processes, so these take a few seconds each."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bench.broadcast_rig import TOKEN, Rig
from bot.config import Settings
from bot.notifications.sender import FLUSH_ROWS

RECIPIENTS = 300
RATE = 100.0  # the Bot API's limit; the floor is 3 s


@pytest.fixture
async def rig(database_url: str, database_kind: str, tmp_path: Path,
              request: pytest.FixtureRequest) -> AsyncIterator[Rig]:
    redis_url = None
    if database_kind == "postgresql":
        redis_url = request.getfixturevalue("redis_url")
    made = Rig(database_url, RATE, redis_url=redis_url,
               redis_prefix=request.getfixturevalue("redis_key_prefix"),
               worker_rate=RATE * 0.9, log_dir=tmp_path)
    await made.start()
    try:
        yield made
    finally:
        await made.close()


async def test_a_worker_killed_mid_broadcast_loses_nothing(rig: Rig) -> None:
    async with asyncio.timeout(90):
        await rig.seed(RECIPIENTS, blocked_every=50)
        first = rig.start_worker("worker-1")
        await rig.until_a_sender_holds_the_lease()
        rig.enforce()
        await rig.queue_broadcast("crash")
        await rig.until_delivered(RECIPIENTS // 2, seconds=30)
        rig.kill(first)
        halfway = rig.delivered_messages()
        assert halfway < RECIPIENTS - len(rig.blocked_ids), "the kill came too late to count"
        rig.start_worker("worker-2")
        await rig.until_outbox_empty(seconds=40)
    outcome = rig.outcome(0.0)
    assert outcome.lost == 0, rig.worker_logs()
    assert outcome.delivered == RECIPIENTS - len(rig.blocked_ids) == RECIPIENTS - 6
    # Only what was in flight, or sent but not yet recorded, at the kill can go twice.
    in_flight = Settings(_env_file=None).outbox_max_in_flight  # type: ignore[call-arg]
    assert outcome.duplicates <= in_flight + FLUSH_ROWS
    assert rig.api.limits(TOKEN).delivered.keys().isdisjoint(rig.blocked_ids)


async def test_two_workers_send_each_message_once_within_the_limits(rig: Rig) -> None:
    async with asyncio.timeout(60):
        await rig.seed(RECIPIENTS // 2, blocked_every=0)
        rig.start_worker("worker-1")
        rig.start_worker("worker-2")
        await rig.until_a_sender_holds_the_lease()
        rig.enforce()
        await rig.queue_broadcast("two")
        await rig.until_outbox_empty(seconds=40)
    outcome = rig.outcome(0.0)
    assert (outcome.lost, outcome.duplicates) == (0, 0), rig.worker_logs()
    assert outcome.delivered == RECIPIENTS // 2
    # Two senders on one token would outrun the Bot API's rate: one sender keeps under it.
    assert outcome.too_many == 0

