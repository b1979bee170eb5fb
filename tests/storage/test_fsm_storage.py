"""SqlStorage and RedisStorage keep aiogram state the same way (same keys, same JSON codec)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from aiogram.exceptions import DataNotDictLikeError
from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.base import BaseStorage, StorageKey
from aiogram.fsm.storage.redis import RedisStorage
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.fsm.build import build_event_isolation, build_fsm_storage
from bot.fsm.chat_scope import LocalChatIsolation
from bot.fsm.codec import (
    build_key_builder,
    dump_jsonable,
    from_jsonable,
    json_dumps,
    json_loads,
    to_jsonable,
)
from bot.fsm.redis_storage import RedisChatIsolation
from bot.fsm.sql_storage import SqlStorage
from storage.repositories.fsm import FsmRepository

Factory = async_sessionmaker[AsyncSession]


class Registration(StatesGroup):
    name = State()


def key(destiny: str = "default", bot_id: int = 42, chat_id: int = 100) -> StorageKey:
    return StorageKey(bot_id=bot_id, chat_id=chat_id, user_id=chat_id, destiny=destiny)


RICH_DATA: dict[str, Any] = {
    "name": "زهرا\u200cسادات",
    "count": 3,
    "ratio": 0.5,
    "ok": True,
    "nothing": None,
    "nested": {"list": [1, "۲", {"deep": [None]}]},
    "birth": dt.date(1990, 3, 21),
    "sent_at": dt.datetime(2026, 11, 25, 8, 30, tzinfo=dt.UTC),
    "slot": dt.time(9, 15),
    "fee": Decimal("12500000.50"),
    "tags": {"hamnava", "karafan"},
}


async def exercise(storage: BaseStorage) -> list[Any]:
    """One script of operations; every observation is returned so two storages can be compared."""
    seen: list[Any] = [await storage.get_state(key()), await storage.get_data(key())]
    await storage.set_state(key(), Registration.name)
    await storage.set_data(key(), RICH_DATA)
    seen += [await storage.get_state(key()), await storage.get_data(key())]
    seen.append(await storage.update_data(key(), {"count": 4, "extra": [1, 2]}))
    seen.append(await storage.get_data(key()))
    # aiogram-dialog keeps stacks and contexts under other destinies of the same chat.
    await storage.set_data(key("aiogd:stack:"), {"_id": "", "intents": ["abc"]})
    stack = key("aiogd:stack:")
    seen += [await storage.get_data(stack), await storage.get_state(stack)]
    seen += [await storage.get_data(key(bot_id=43)), await storage.get_state(key(bot_id=43))]
    await storage.set_data(key("aiogd:stack:"), {})
    await storage.set_state(key(), None)
    seen += [await storage.get_data(key("aiogd:stack:")), await storage.get_state(key())]
    seen.append(await storage.get_data(key()))
    await storage.set_data(key(), {})
    seen.append(await storage.get_data(key()))
    with pytest.raises(DataNotDictLikeError):
        await storage.set_data(key(), [("not", "a dict")])  # type: ignore[arg-type]
    return seen


EXPECTED: list[Any] = [
    None, {},
    "Registration:name", RICH_DATA,
    {**RICH_DATA, "count": 4, "extra": [1, 2]},
    {**RICH_DATA, "count": 4, "extra": [1, 2]},
    {"_id": "", "intents": ["abc"]}, None,
    {}, None,
    {}, None,
    {**RICH_DATA, "count": 4, "extra": [1, 2]},
    {},
]


async def test_sql_storage(session_factory: Factory) -> None:
    storage = SqlStorage(session_factory)
    assert await exercise(storage) == EXPECTED
    # Emptied records are deleted, not kept as blank rows.
    async with session_factory() as session:
        assert await FsmRepository(session).get(build_key_builder().build(key())) is None
    await storage.close()


async def test_redis_storage_matches_sql(
    session_factory: Factory, redis_url: str, redis_key_prefix: str
) -> None:
    settings = Settings(redis_url=redis_url)
    redis_storage = build_fsm_storage(settings, session_factory, key_prefix=redis_key_prefix)
    assert isinstance(redis_storage, RedisStorage)
    try:
        sql_seen = await exercise(SqlStorage(session_factory))
        assert await exercise(redis_storage) == EXPECTED == sql_seen
        isolation = build_event_isolation(settings, key_prefix=redis_key_prefix)
        assert isinstance(isolation, RedisChatIsolation)
        async with isolation.lock(key()):
            assert await redis_storage.redis.exists(f"{redis_key_prefix}:42:100:100:default:lock")
        assert not await redis_storage.redis.exists(f"{redis_key_prefix}:42:100:100:default:lock")
        await isolation.close()
    finally:
        await redis_storage.close()


async def test_sql_update_data_is_atomic(session_factory: Factory) -> None:
    storage = SqlStorage(session_factory)
    await asyncio.gather(*(storage.update_data(key(), {f"k{i}": i}) for i in range(10)))
    assert await storage.get_data(key()) == {f"k{i}": i for i in range(10)}


async def test_without_redis_the_database_keeps_state(session_factory: Factory) -> None:
    settings = Settings(redis_url=None)
    storage = build_fsm_storage(settings, session_factory)
    assert isinstance(storage, SqlStorage)
    assert isinstance(build_event_isolation(settings), LocalChatIsolation)
    await storage.set_state(key(), "Registration:name")
    await storage.set_data(key(), RICH_DATA)
    await storage.close()
    # A new storage object (a restarted process) still sees the half-filled form.
    restarted = build_fsm_storage(settings, session_factory)
    assert await restarted.get_state(key()) == "Registration:name"
    assert await restarted.get_data(key()) == RICH_DATA
    await restarted.close()


def test_codec_round_trips_and_refuses_unknown_types() -> None:
    assert json_loads(json_dumps(RICH_DATA)) == RICH_DATA
    assert "زهرا" in json_dumps(RICH_DATA)  # readable when someone inspects the row
    with pytest.raises(TypeError):
        json_dumps({"bad": object()})
    with pytest.raises(TypeError):
        json_dumps({"deep": [{"set": {dt.date(2026, 1, 1)}, "bad": object()}]})


def test_codec_writes_and_reads_what_the_plain_walk_does() -> None:
    """json_dumps/json_loads run on the json module's own hooks; rows written before (by the
    walk in to_jsonable/from_jsonable) must read the same, and new rows must look the same."""
    nested = {
        **RICH_DATA,
        "deep": [{"when": dt.datetime(2026, 12, 3, 9, 30, tzinfo=dt.UTC)}, ("a", 1)],
        "sets": {"inner": {3, 1, 2}},
        "lookalike": {"__fsm_type__": "date", "v": "2026-01-01", "extra": 1},
        7: "an int key",
        (1, 2): "a key json refuses",
    }
    walked = dump_jsonable(to_jsonable(nested))
    assert json_dumps(nested) == walked
    assert json_loads(walked) == from_jsonable(json.loads(walked))
    assert json_loads(walked)["sets"] == {"inner": {1, 2, 3}}
    assert json_loads(walked)["lookalike"] == nested["lookalike"]
