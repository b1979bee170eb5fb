"""Conversation state untouched for FSM_IDLE_DAYS goes: database rows purged in bounded batches
by a background task of the running service, Redis keys by their time to live."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging

import pytest
from aiogram.fsm.storage.base import StorageKey
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.fsm.build import build_fsm_storage
from services.housekeeping import purge_idle_conversations
from storage.db import create_engine, create_session_factory
from storage.models import FsmRecord, OutboxMessage
from storage.repositories.fsm import FsmRepository

NOW = dt.datetime(2027, 3, 1, 12, 0, tzinfo=dt.UTC)
Factory = async_sessionmaker[AsyncSession]


async def _rows_aged(session_factory: Factory, ages_in_days: dict[str, float]) -> None:
    async with session_factory() as session:
        repo = FsmRepository(session)
        for key, age in ages_in_days.items():
            await repo.set_state(key, "Registration:phone")
            await session.execute(
                update(FsmRecord).where(FsmRecord.key == key)
                .values(updated_at=NOW - dt.timedelta(days=age))
            )
        await session.commit()


async def _keys(session_factory: Factory) -> set[str]:
    async with session_factory() as session:
        return set(await session.scalars(select(FsmRecord.key)))


async def test_purge_drops_only_rows_idle_past_the_limit(session_factory: Factory) -> None:
    await _rows_aged(session_factory, {
        "fresh": 0, "month": 30, "almost": 89.9, "just-over": 90.01, "year": 365, "ancient": 2000,
    })
    removed = await purge_idle_conversations(session_factory, idle_days=90, now=NOW)
    assert removed == 3
    assert await _keys(session_factory) == {"fresh", "month", "almost"}
    assert await purge_idle_conversations(session_factory, idle_days=90, now=NOW) == 0
    # A shorter limit reaches further.
    assert await purge_idle_conversations(session_factory, idle_days=7, now=NOW) == 2
    assert await _keys(session_factory) == {"fresh"}


async def test_one_run_deletes_at_most_one_batch(session_factory: Factory) -> None:
    await _rows_aged(session_factory, {f"old-{n}": 100 + n for n in range(5)} | {"new": 1})
    assert await purge_idle_conversations(session_factory, idle_days=90, now=NOW, batch=2) == 2
    assert len(await _keys(session_factory)) == 4
    assert await purge_idle_conversations(session_factory, idle_days=90, now=NOW, batch=2) == 2
    assert await purge_idle_conversations(session_factory, idle_days=90, now=NOW, batch=2) == 1
    assert await _keys(session_factory) == {"new"}


async def test_the_running_service_purges_in_the_background(
    database_url: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from bot.serving import housekeeping
    from bot.serving.polling import run_polling
    from tests.flows.harness import Sandbox

    monkeypatch.setattr(housekeeping, "FIRST_RUN_AFTER_SECONDS", 0.05)
    box = await Sandbox.start(database_url, fsm_idle_days=30, outbox_keep_days=30)
    async with box.app.session_factory() as session:
        for days, note in ((31, "old"), (29, "recent")):
            sent = dt.datetime.now(dt.UTC) - dt.timedelta(days=days)
            session.add(OutboxMessage(
                platform="telegram", chat_id=1, kind="test", payload={"note": note},
                priority=0, not_before=sent, attempts=0, created_at=sent, sent_at=sent,
                outcome="sent",
            ))
        await session.commit()
    await _rows_aged(box.app.session_factory, {"abandoned": 400, "recent": 1})
    # Rows are aged against the real clock here: the service purges by the time it runs.
    async with box.app.session_factory() as session:
        await session.execute(
            update(FsmRecord).where(FsmRecord.key == "abandoned")
            .values(updated_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=31))
        )
        await session.execute(
            update(FsmRecord).where(FsmRecord.key == "recent")
            .values(updated_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=29))
        )
        await session.commit()
    with caplog.at_level(logging.INFO, logger="bot.serving.housekeeping"):
        polling = asyncio.create_task(run_polling(box.app))
        try:
            for _ in range(200):
                if "outbox row(s)" in caplog.text:
                    break
                await asyncio.sleep(0.05)
        finally:
            await box.app.dispatcher.stop_polling()
            await polling  # run_polling stops the chore and closes the app
            await box.server.close()
            await box.api.close()
    assert "purged 1 conversation state(s) idle for more than 30 days" in caplog.text
    assert "purged 1 outbox row(s) finished more than 30 days ago" in caplog.text
    engine = create_engine(database_url)  # the app closed its own with the service
    try:
        assert await _keys(create_session_factory(engine)) == {"recent"}
        async with create_session_factory(engine)() as session:
            kept = [row.payload for row in await session.scalars(select(OutboxMessage))]
        assert kept == [{"note": "recent"}]
    finally:
        await engine.dispose()


async def test_redis_keys_expire_after_the_idle_days(
    redis_url: str, redis_key_prefix: str, session_factory: Factory
) -> None:
    settings = Settings(_env_file=None, redis_url=redis_url, fsm_idle_days=45)  # type: ignore[call-arg]
    storage = build_fsm_storage(settings, session_factory, key_prefix=redis_key_prefix)
    try:
        where = StorageKey(bot_id=1, chat_id=2, user_id=2)
        await storage.set_state(where, "Registration:phone")
        await storage.set_data(where, {"name": "زهرا"})
        redis = storage.redis  # type: ignore[attr-defined]
        keys = [k async for k in redis.scan_iter(match=f"{redis_key_prefix}*")]
        assert len(keys) == 2
        for name in keys:
            ttl = await redis.ttl(name)
            assert 45 * 86400 - 60 < ttl <= 45 * 86400, (name, ttl)
    finally:
        await storage.close()
