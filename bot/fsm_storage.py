"""FSM storage: Redis when REDIS_URL is set, otherwise rows in the application's own database.

Both paths share one key builder (bot id + destiny, so aiogram-dialog's stacks and contexts
are kept apart per bot) and one JSON codec (so a value survives the same way in either).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections import OrderedDict
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from aiogram.exceptions import DataNotDictLikeError
from aiogram.fsm.state import State
from aiogram.fsm.storage.base import (
    BaseStorage,
    DefaultKeyBuilder,
    KeyBuilder,
    StateType,
    StorageKey,
)
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.fsm_scope import ChatScopedIsolation, LocalChatIsolation, scope_for
from storage.db import sqlite_file
from storage.repositories.fsm import FsmRepository, SqliteFsmWriter

DEFAULT_KEY_PREFIX = "fsm"
_TAG = "__fsm_type__"
_EMPTY = "{}"


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
    return _dump_jsonable(to_jsonable(data))


def _dump_jsonable(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def json_loads(raw: str | bytes) -> Any:
    return from_jsonable(json.loads(raw))


def _state_name(state: StateType) -> str | None:
    return state.state if isinstance(state, State) else state


Record = tuple[str | None, str]  # (state, data serialized with json_dumps)


class SqlStorage(BaseStorage):
    """aiogram storage in the SQL database: a half-filled form survives a restart.

    Every update reads and writes its conversation state several times (aiogram-dialog's stack
    and context, our draft). SQL storage is the single-process setup (several workers need
    Redis, see README), so this process is the only writer and a write-through cache is exact:
    reads come from memory once a key is known, and a write reaches the database only when the
    value really changed. Within an update that holds its chat's lock (bot.fsm_scope) the
    changed records are written together when the update ends, in one short transaction;
    outside one, every write is its own. Nothing holds a database lock across the network
    round trip to the messenger.
    """

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        key_builder: KeyBuilder | None = None,
        cache_size: int = 20_000,
        writer: SqliteFsmWriter | None = None,
    ) -> None:
        self.session_factory = session_factory
        # With a SQLite file, whole records are written on a connection of their own.
        self.writer = writer
        self.key_builder = key_builder or build_key_builder()
        self.cache_size = cache_size
        # Serialized data, so callers get fresh copies and equality is a string compare.
        self._cache: OrderedDict[str, Record] = OrderedDict()
        # Striped locks keep read-modify-write and the order of writes per key intact.
        self._locks = tuple(asyncio.Lock() for _ in range(64))

    def _lock(self, storage_key: str) -> asyncio.Lock:
        return self._locks[hash(storage_key) % len(self._locks)]

    def _key(self, key: StorageKey) -> str:
        return self.key_builder.build(key)

    def _pending(self, key: StorageKey) -> dict[str, Record] | None:
        """This update's unwritten records, if it holds the lock of `key`'s chat."""
        scope = scope_for(key)
        if scope is None:
            return None
        pending: dict[str, Record] = scope.slot(self, dict, self._flush)
        return pending

    async def _record(self, storage_key: str, pending: dict[str, Record] | None) -> Record:
        if pending is not None and storage_key in pending:
            return pending[storage_key]
        cached = self._cache.get(storage_key)
        if cached is not None:
            self._cache.move_to_end(storage_key)
            return cached
        async with self.session_factory() as session:
            row = await FsmRepository(session).get(storage_key)
            record = (row.state, _dump_jsonable(row.data or {})) if row else (None, _EMPTY)
        self._remember(storage_key, record)
        return record

    def _remember(self, storage_key: str, record: Record) -> None:
        self._cache[storage_key] = record
        self._cache.move_to_end(storage_key)
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)

    async def _store(
        self, storage_key: str, record: Record, pending: dict[str, Record] | None
    ) -> None:
        if pending is not None:
            pending[storage_key] = record
            return
        await self._flush({storage_key: record})

    async def _flush(self, records: dict[str, Record]) -> None:
        if not records:
            return
        try:
            if self.writer is not None:
                await self.writer.put_many(
                    {key: (state, data if data != _EMPTY else None)
                     for key, (state, data) in records.items()}
                )
            else:
                await self._put_with_session(records)
        except BaseException:
            # Unknown what reached the database: read these keys afresh next time.
            for key in records:
                self._cache.pop(key, None)
            raise
        for key, record in records.items():
            self._remember(key, record)

    async def _put_with_session(self, records: dict[str, Record]) -> None:
        rows = {
            key: (state, json.loads(data) if data != _EMPTY else None)
            for key, (state, data) in records.items()
        }
        async with self.session_factory() as session:
            await FsmRepository(session).put_many(rows)
            await session.commit()

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        storage_key = self._key(key)
        pending = self._pending(key)
        async with self._lock(storage_key):
            old_state, data = await self._record(storage_key, pending)
            new_state = _state_name(state)
            if new_state != old_state:
                await self._store(storage_key, (new_state, data), pending)

    async def get_state(self, key: StorageKey) -> str | None:
        state, _ = await self._record(self._key(key), self._pending(key))
        return state

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        if not isinstance(data, dict):
            # Same refusal as RedisStorage, so code tested on one storage behaves on the other.
            raise DataNotDictLikeError(
                f"Data must be a dict or dict-like object, got {type(data).__name__}"
            )
        storage_key = self._key(key)
        pending = self._pending(key)
        async with self._lock(storage_key):
            await self._write_data(storage_key, data, pending)

    async def _write_data(
        self, storage_key: str, data: Mapping[str, Any], pending: dict[str, Record] | None
    ) -> None:
        state, old = await self._record(storage_key, pending)
        new = json_dumps(data)
        if new != old:
            await self._store(storage_key, (state, new), pending)

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        _, data = await self._record(self._key(key), self._pending(key))
        loaded: dict[str, Any] = json_loads(data)
        return loaded

    async def update_data(self, key: StorageKey, data: Mapping[str, Any]) -> dict[str, Any]:
        storage_key = self._key(key)
        pending = self._pending(key)
        async with self._lock(storage_key):
            _, old = await self._record(storage_key, pending)
            current: dict[str, Any] = json_loads(old)
            current.update(data)
            await self._write_data(storage_key, current, pending)
        return current

    async def close(self) -> None:
        # The engine belongs to the application, which disposes of it; the writer is ours.
        if self.writer is not None:
            await self.writer.close()


def build_fsm_storage(
    settings: Settings,
    session_factory: async_sessionmaker[AsyncSession],
    *,
    key_prefix: str = DEFAULT_KEY_PREFIX,
) -> BaseStorage:
    if settings.redis_url:
        from bot.fsm_redis import ScopedRedisStorage

        return ScopedRedisStorage.from_url(
            settings.redis_url,
            key_builder=build_key_builder(key_prefix),
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
    update's scope on its chat's conversation state (bot.fsm_scope). Given the app's Redis
    `storage`, the lock's own calls also carry that storage's reads and writes."""
    if settings.redis_url:
        from bot.fsm_redis import RedisChatIsolation, ScopedRedisStorage

        if isinstance(storage, ScopedRedisStorage):
            return RedisChatIsolation(storage.redis, storage.key_builder, storage)
        return RedisChatIsolation(
            Redis.from_url(settings.redis_url), build_key_builder(key_prefix)
        )
    return LocalChatIsolation()
