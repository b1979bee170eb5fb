"""Conversation state as rows in the application's own database (no Redis configured)."""

from __future__ import annotations

import asyncio
import json
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

from aiogram.exceptions import DataNotDictLikeError
from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, KeyBuilder, StateType, StorageKey
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.fsm.chat_scope import scope_for
from bot.fsm.codec import build_key_builder, dump_jsonable, json_dumps, json_loads
from storage.repositories.fsm import FsmRepository, SqliteFsmWriter

_EMPTY = "{}"


def _state_name(state: StateType) -> str | None:
    return state.state if isinstance(state, State) else state


Record = tuple[str | None, str]  # (state, data serialized with json_dumps)


class SqlStorage(BaseStorage):
    """aiogram storage in the SQL database: a half-filled form survives a restart.

    Every update reads and writes its conversation state several times (aiogram-dialog's stack
    and context, our draft). SQL storage is the single-process setup (several workers need
    Redis, see README), so this process is the only writer and a write-through cache is exact:
    reads come from memory once a key is known, and a write reaches the database only when the
    value really changed. Within an update that holds its chat's lock (bot.fsm.chat_scope) the
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
            record = (row.state, dump_jsonable(row.data or {})) if row else (None, _EMPTY)
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
