"""An update holding its private chat's lock reads each key once and writes its changes together
when the lock is released (bot.fsm.chat_scope); the storages behave the same as without it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from aiogram.fsm.storage.base import BaseStorage, StorageKey
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.fsm.build import build_event_isolation, build_fsm_storage
from bot.fsm.chat_scope import ChatScopedIsolation
from bot.fsm.redis_storage import ScopedRedisStorage
from bot.fsm.sql_storage import SqlStorage
from tests.storage.test_fsm_storage import EXPECTED, RICH_DATA, exercise, key

Factory = async_sessionmaker[AsyncSession]


@dataclass
class Backend:
    storage: BaseStorage
    isolation: ChatScopedIsolation
    settings: Settings
    session_factory: Factory
    prefix: str

    async def stored_state(self, at: StorageKey) -> str | None:
        """What another worker, or this process after a restart, reads."""
        fresh = build_fsm_storage(self.settings, self.session_factory, key_prefix=self.prefix)
        try:
            return await fresh.get_state(at)
        finally:
            await fresh.close()

    async def stored_data(self, at: StorageKey) -> dict[str, Any]:
        fresh = build_fsm_storage(self.settings, self.session_factory, key_prefix=self.prefix)
        try:
            return await fresh.get_data(at)
        finally:
            await fresh.close()


@pytest.fixture(params=["sql", "redis"])
async def backend(
    request: pytest.FixtureRequest, session_factory: Factory
) -> AsyncIterator[Backend]:
    if request.param == "sql":
        settings = Settings(redis_url=None)
        prefix = "fsm"
    else:
        settings = Settings(redis_url=request.getfixturevalue("redis_url"))
        prefix = request.getfixturevalue("redis_key_prefix")
    storage = build_fsm_storage(settings, session_factory, key_prefix=prefix)
    isolation = build_event_isolation(settings, key_prefix=prefix, storage=storage)
    assert isinstance(isolation, ChatScopedIsolation)
    assert isinstance(storage, ScopedRedisStorage if request.param == "redis" else SqlStorage)
    yield Backend(storage, isolation, settings, session_factory, prefix)
    await storage.close()
    await isolation.close()


async def test_storage_reads_the_same_inside_an_update(backend: Backend) -> None:
    async with backend.isolation.lock(key()):
        seen = await exercise(backend.storage)
    assert seen == EXPECTED
    assert await backend.stored_data(key()) == {}


async def test_writes_reach_the_store_when_the_update_ends(backend: Backend) -> None:
    stack = key("aiogd:stack:")
    async with backend.isolation.lock(key()):
        await backend.storage.set_state(key(), "Registration:name")
        await backend.storage.set_data(key(), RICH_DATA)
        # aiogram-dialog locks its stack inside the update's lock: the same chat, not waited for.
        async with asyncio.timeout(5), backend.isolation.lock(stack):
            await backend.storage.set_data(stack, {"_id": "", "intents": ["abc"]})
        assert await backend.storage.get_state(key()) == "Registration:name"
        assert await backend.stored_state(key()) is None  # not yet written
    assert await backend.stored_state(key()) == "Registration:name"
    assert await backend.stored_data(key()) == RICH_DATA
    assert await backend.stored_data(stack) == {"_id": "", "intents": ["abc"]}

    async with backend.isolation.lock(key()):
        await backend.storage.set_state(key(), None)
        await backend.storage.set_data(key(), {})
    assert await backend.stored_state(key()) is None
    assert await backend.stored_data(key()) == {}


async def test_a_failing_handler_keeps_what_it_wrote(backend: Backend) -> None:
    with pytest.raises(RuntimeError):
        async with backend.isolation.lock(key()):
            await backend.storage.set_data(key(), {"step": "phone"})
            raise RuntimeError("handler failed")
    assert await backend.stored_data(key()) == {"step": "phone"}


async def test_updates_of_one_chat_run_in_order_and_see_each_other(backend: Backend) -> None:
    order: list[Any] = []

    async def update(number: int) -> None:
        async with backend.isolation.lock(key()):
            data = await backend.storage.get_data(key())
            order.append((number, data.get("count", 0)))
            await asyncio.sleep(0.01)  # the messenger's round trip
            await backend.storage.set_data(key(), {"count": data.get("count", 0) + 1})

    await asyncio.gather(*(update(n) for n in range(5)))
    assert [count for _, count in order] == [0, 1, 2, 3, 4]
    assert await backend.stored_data(key()) == {"count": 5}


async def test_other_chats_and_groups_are_written_at_once(backend: Backend) -> None:
    group_member = StorageKey(bot_id=42, chat_id=-100500, user_id=100, destiny="default")
    async with backend.isolation.lock(key()):
        await backend.storage.set_data(key(chat_id=200), {"other": "chat"})
        assert await backend.stored_data(key(chat_id=200)) == {"other": "chat"}
    async with backend.isolation.lock(group_member):
        await backend.storage.set_data(group_member, {"in": "group"})
        assert await backend.stored_data(group_member) == {"in": "group"}


async def test_redis_update_takes_two_round_trips(
    session_factory: Factory, redis_url: str, redis_key_prefix: str
) -> None:
    """A dialog update: lock, read state, stack, the open dialog's context and the draft, write
    three of them, unlock. The lock's two calls carry all the reads and writes; only a context
    the stack does not name yet (the dialog's first update) is read on its own."""
    settings = Settings(redis_url=redis_url)
    storage = build_fsm_storage(settings, session_factory, key_prefix=redis_key_prefix)
    isolation = build_event_isolation(settings, key_prefix=redis_key_prefix, storage=storage)
    assert isinstance(storage, ScopedRedisStorage)
    commands: list[str] = []
    original = storage.redis.execute_command

    async def counted(*args: Any, **options: Any) -> Any:
        commands.append(str(args[0]))
        return await original(*args, **options)

    storage.redis.execute_command = counted  # type: ignore[method-assign]
    stack, context = key("aiogd:stack:"), key("aiogd:context:abc")

    async def dialog_update(step: int) -> None:
        async with isolation.lock(key()):
            await storage.get_state(key())
            await storage.get_data(stack)
            async with isolation.lock(stack):  # aiogram-dialog's own lock: already held
                await storage.get_data(context)
                await storage.update_data(key(), {"draft": step})
                await storage.set_data(context, {"state": f"Registration:{step}"})
                await storage.set_data(stack, {"_id": "", "intents": ["old", "abc"]})
            await storage.get_data(key())

    try:
        async with isolation.lock(key(chat_id=300)):  # loads the lock's scripts into Redis
            pass
        commands.clear()
        await dialog_update(1)
        assert commands == ["EVALSHA", "MGET", "EVALSHA"]
        commands.clear()
        await dialog_update(2)
        assert commands == ["EVALSHA", "EVALSHA"]
        assert await storage.get_data(context) == {"state": "Registration:2"}
        assert await storage.get_data(key()) == {"draft": 2}
        assert not await storage.redis.exists(f"{redis_key_prefix}:42:100:100:default:lock")
    finally:
        await storage.close()
        await isolation.close()


async def test_redis_lock_waits_for_the_other_worker(
    session_factory: Factory, redis_url: str, redis_key_prefix: str
) -> None:
    """Two workers (two isolations) take turns on one chat; a tap waits, then sees the write."""
    settings = Settings(redis_url=redis_url)
    workers = []
    for _ in range(2):
        storage = build_fsm_storage(settings, session_factory, key_prefix=redis_key_prefix)
        workers.append((storage, build_event_isolation(
            settings, key_prefix=redis_key_prefix, storage=storage)))
    (first, first_lock), (second, second_lock) = workers
    try:
        async with first_lock.lock(key()):
            waiting = asyncio.create_task(_read_count(second, second_lock))
            await asyncio.sleep(0.1)
            assert not waiting.done()
            await first.set_data(key(), {"count": 1})
        assert await asyncio.wait_for(waiting, 5) == 1
    finally:
        for storage, isolation in workers:
            await storage.close()
            await isolation.close()


async def _read_count(storage: BaseStorage, isolation: ChatScopedIsolation) -> int:
    async with isolation.lock(key()):
        return int((await storage.get_data(key())).get("count", 0))
