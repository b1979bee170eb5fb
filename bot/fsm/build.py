"""Which conversation-state storage and chat lock this process uses: Redis when REDIS_URL is
set, otherwise rows in the application's own database and a lock within this process."""

from __future__ import annotations

import datetime as dt

from aiogram.fsm.storage.base import BaseStorage
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.fsm.chat_scope import ChatScopedIsolation, LocalChatIsolation
from bot.fsm.codec import DEFAULT_KEY_PREFIX, build_key_builder, json_dumps, json_loads
from bot.fsm.sql_storage import SqlStorage
from storage.db import sqlite_file
from storage.repositories.fsm import SqliteFsmWriter


def build_fsm_storage(
    settings: Settings,
    session_factory: async_sessionmaker[AsyncSession],
    *,
    redis: Redis | None = None,
    key_prefix: str = DEFAULT_KEY_PREFIX,
) -> BaseStorage:
    """`redis` is the process's shared client (bot.app); without one, REDIS_URL gets its own."""
    if redis is None and settings.redis_url:
        redis = Redis.from_url(settings.redis_url)
    if redis is not None:
        from bot.fsm.redis_storage import ScopedRedisStorage

        # Idle conversations expire by themselves (the SQL rows are purged instead, see
        # bot.serving.housekeeping); each write starts the time again.
        idle = dt.timedelta(days=settings.fsm_idle_days)
        return ScopedRedisStorage(
            redis,
            key_builder=build_key_builder(key_prefix),
            state_ttl=idle,
            data_ttl=idle,
            json_dumps=json_dumps,
            json_loads=json_loads,
        )
    # The file of the engine the sessions use (not the settings': a caller may bind elsewhere).
    engine = session_factory.kw.get("bind")
    path = sqlite_file(engine.url.render_as_string(hide_password=False)) if engine else None
    return SqlStorage(
        session_factory,
        key_builder=build_key_builder(key_prefix),
        writer=SqliteFsmWriter(path) if path else None,
    )


def build_event_isolation(
    settings: Settings,
    *,
    key_prefix: str = DEFAULT_KEY_PREFIX,
    storage: BaseStorage | None = None,
) -> ChatScopedIsolation:
    """Per-chat ordering: across processes with Redis, within this process otherwise; and the
    update's scope on its chat's conversation state (bot.fsm.chat_scope). Given the app's Redis
    `storage`, the lock's own calls also carry that storage's reads and writes."""
    if settings.redis_url:
        from bot.fsm.redis_storage import RedisChatIsolation, ScopedRedisStorage

        if isinstance(storage, ScopedRedisStorage):
            return RedisChatIsolation(storage.redis, storage.key_builder, storage)
        return RedisChatIsolation(
            Redis.from_url(settings.redis_url), build_key_builder(key_prefix)
        )
    return LocalChatIsolation()
