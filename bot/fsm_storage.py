"""FSM storage: Redis when REDIS_URL is set, otherwise rows in the application's own database.

Both paths share one key builder (bot id + destiny, so aiogram-dialog's stacks and contexts
are kept apart per bot) and one JSON codec (so a value survives the same way in either).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from aiogram.exceptions import DataNotDictLikeError
from aiogram.fsm.state import State
from aiogram.fsm.storage.base import (
    BaseEventIsolation,
    BaseStorage,
    DefaultKeyBuilder,
    KeyBuilder,
    StateType,
    StorageKey,
)
from aiogram.fsm.storage.memory import SimpleEventIsolation
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from storage.repositories.fsm import FsmRepository

DEFAULT_KEY_PREFIX = "fsm"
_TAG = "__fsm_type__"


def build_key_builder(prefix: str = DEFAULT_KEY_PREFIX) -> DefaultKeyBuilder:
    return DefaultKeyBuilder(prefix=prefix, with_bot_id=True, with_destiny=True)


def to_jsonable(value: Any) -> Any:
    """Plain JSON for storage. aiogram-dialog itself stores only JSON types, but our own
    dialog_data may hold dates, times, decimals or sets; these are tagged so they come back
    as the same type instead of silently turning into strings or lists."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, Mapping):
        return {str(key): to_jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(item) for item in value]
    if isinstance(value, set | frozenset):
        items = sorted((to_jsonable(item) for item in value), key=repr)
        return {_TAG: "set", "v": items}
    if isinstance(value, dt.datetime):
        return {_TAG: "datetime", "v": value.isoformat()}
    if isinstance(value, dt.date):
        return {_TAG: "date", "v": value.isoformat()}
    if isinstance(value, dt.time):
        return {_TAG: "time", "v": value.isoformat()}
    if isinstance(value, Decimal):
        return {_TAG: "decimal", "v": str(value)}
    raise TypeError(f"FSM data cannot hold {type(value).__name__}: {value!r}")


_DECODERS: dict[str, Any] = {
    "set": lambda raw: {from_jsonable(item) for item in raw},
    "datetime": dt.datetime.fromisoformat,
    "date": dt.date.fromisoformat,
    "time": dt.time.fromisoformat,
    "decimal": Decimal,
}


def from_jsonable(value: Any) -> Any:
    if isinstance(value, list):
        return [from_jsonable(item) for item in value]
    if isinstance(value, dict):
        tag = value.get(_TAG)
        if isinstance(tag, str) and tag in _DECODERS and set(value) == {_TAG, "v"}:
            return _DECODERS[tag](value["v"])
        return {key: from_jsonable(item) for key, item in value.items()}
    return value


def json_dumps(data: Any) -> str:
    return json.dumps(to_jsonable(data), ensure_ascii=False, separators=(",", ":"))


def json_loads(raw: str | bytes) -> Any:
    return from_jsonable(json.loads(raw))


def _state_name(state: StateType) -> str | None:
    return state.state if isinstance(state, State) else state


class SqlStorage(BaseStorage):
    """aiogram storage in the SQL database: a half-filled form survives a restart.

    Every call is its own short transaction: a conversation step touches its row and commits,
    never holding a lock across the (slow) network round trip to the messenger.
    """

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        key_builder: KeyBuilder | None = None,
    ) -> None:
        self.session_factory = session_factory
        self.key_builder = key_builder or build_key_builder()

    def _key(self, key: StorageKey) -> str:
        return self.key_builder.build(key)

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        async with self.session_factory() as session:
            await FsmRepository(session).set_state(self._key(key), _state_name(state))
            await session.commit()

    async def get_state(self, key: StorageKey) -> str | None:
        async with self.session_factory() as session:
            return await FsmRepository(session).get_state(self._key(key))

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        if not isinstance(data, dict):
            # Same refusal as RedisStorage, so code tested on one storage behaves on the other.
            raise DataNotDictLikeError(
                f"Data must be a dict or dict-like object, got {type(data).__name__}"
            )
        async with self.session_factory() as session:
            await FsmRepository(session).set_data(self._key(key), to_jsonable(data))
            await session.commit()

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        async with self.session_factory() as session:
            data = await FsmRepository(session).get_data(self._key(key))
        return dict(from_jsonable(data))

    async def update_data(self, key: StorageKey, data: Mapping[str, Any]) -> dict[str, Any]:
        """Read, merge and write under one row lock: two workers cannot lose each other's keys."""
        storage_key = self._key(key)
        async with self.session_factory() as session:
            repository = FsmRepository(session)
            current = from_jsonable(await repository.lock_data(storage_key))
            current.update(data)
            await repository.set_data(storage_key, to_jsonable(current))
            await session.commit()
        return dict(current)

    async def close(self) -> None:
        # The engine belongs to the application, which disposes of it; nothing is ours to close.
        return None


def build_fsm_storage(
    settings: Settings,
    session_factory: async_sessionmaker[AsyncSession],
    *,
    key_prefix: str = DEFAULT_KEY_PREFIX,
) -> BaseStorage:
    if settings.redis_url:
        from aiogram.fsm.storage.redis import RedisStorage

        return RedisStorage.from_url(
            settings.redis_url,
            key_builder=build_key_builder(key_prefix),
            json_dumps=json_dumps,
            json_loads=json_loads,
        )
    return SqlStorage(session_factory, key_builder=build_key_builder(key_prefix))


def build_event_isolation(
    settings: Settings, *, key_prefix: str = DEFAULT_KEY_PREFIX
) -> BaseEventIsolation:
    """Per-chat ordering: across processes with Redis, within this process otherwise."""
    if settings.redis_url:
        from aiogram.fsm.storage.redis import RedisEventIsolation

        return RedisEventIsolation.from_url(
            settings.redis_url, key_builder=build_key_builder(key_prefix)
        )
    return SimpleEventIsolation()
