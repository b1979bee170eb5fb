"""aiogram's RedisStorage, with one read per key and one write round trip per update.

A tap used to cost a Redis round trip for every get and set: the FSM state, aiogram-dialog's
stack and context (read, then written back), our registration draft (read two or three times).
Within an update that holds its chat's lock (bot.fsm_scope) nobody else touches these keys, on
any worker, so the values read are kept for the rest of the update, and the changed ones are
written together at its end in one MULTI/EXEC, before the lock is released. Outside such an
update (group chats, code run outside an update) this is plain RedisStorage.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal, cast

from aiogram.exceptions import DataNotDictLikeError
from aiogram.fsm.state import State
from aiogram.fsm.storage.base import DEFAULT_DESTINY, StateType, StorageKey
from aiogram.fsm.storage.redis import RedisStorage
from redis.typing import ExpiryT

from bot.fsm_scope import ChatScope, scope_for

# aiogram-dialog keeps the stack of a private chat under this destiny (DEFAULT_STACK_ID is "").
DIALOG_STACK_DESTINY = "aiogd:stack:"


@dataclass
class _Reads:
    """One update's view of its chat's keys: Redis key -> text (None: no such key)."""

    values: dict[str, str | None] = field(default_factory=dict)
    # Redis keys written during the update -> the TTL to write them with.
    dirty: dict[str, ExpiryT | None] = field(default_factory=dict)
    usual_fetched: bool = False


def _text(value: Any) -> str | None:
    return value.decode("utf-8") if isinstance(value, bytes) else cast(str | None, value)


class ScopedRedisStorage(RedisStorage):
    def _reads(self, key: StorageKey) -> tuple[ChatScope, _Reads] | None:
        scope = scope_for(key)
        if scope is None:
            return None
        reads: _Reads = scope.slot(self, _Reads, self._flush)
        return scope, reads

    def _usual_keys(self, scope: ChatScope) -> list[str]:
        """What almost every update of a private chat reads: the FSM state and data, and the
        dialog stack. Fetched together on the update's first read."""
        default = replace(scope.key, destiny=DEFAULT_DESTINY)
        stack = replace(scope.key, destiny=DIALOG_STACK_DESTINY)
        build = self.key_builder.build
        return [build(default, "state"), build(default, "data"), build(stack, "data")]

    async def _value(
        self, scope: ChatScope, reads: _Reads, key: StorageKey, part: Literal["state", "data"]
    ) -> Any:
        name = self.key_builder.build(key, part)
        if name in reads.values:
            return reads.values[name]
        names = [name, self.key_builder.build(key, "data" if part == "state" else "state")]
        if not reads.usual_fetched:
            reads.usual_fetched = True
            names += self._usual_keys(scope)
        missing = [n for n in dict.fromkeys(names) if n not in reads.values]
        for missing_name, value in zip(missing, await self.redis.mget(missing), strict=True):
            reads.values[missing_name] = _text(value)
        return reads.values[name]

    def _put(self, reads: _Reads, name: str, value: str | None, ttl: ExpiryT | None) -> None:
        if ttl is None and name in reads.values and reads.values[name] == value:
            return  # unchanged (a TTL would need the write to be refreshed)
        reads.values[name] = value
        reads.dirty[name] = ttl

    async def _flush(self, reads: _Reads) -> None:
        if not reads.dirty:
            return
        async with self.redis.pipeline(transaction=True) as pipe:
            for name, ttl in reads.dirty.items():
                value = reads.values[name]
                if value is None:
                    pipe.delete(name)
                else:
                    pipe.set(name, value, ex=ttl)
            await pipe.execute()

    async def get_state(self, key: StorageKey) -> str | None:
        held = self._reads(key)
        if held is None:
            return await super().get_state(key)
        return cast(str | None, await self._value(*held, key, "state"))

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        held = self._reads(key)
        if held is None:
            await super().set_state(key, state)
            return
        value = state.state if isinstance(state, State) else state
        self._put(held[1], self.key_builder.build(key, "state"), value, self.state_ttl)

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        held = self._reads(key)
        if held is None:
            return await super().get_data(key)
        value = await self._value(*held, key, "data")
        return {} if value is None else cast(dict[str, Any], self.json_loads(value))

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        held = self._reads(key)
        if held is None:
            await super().set_data(key, data)
            return
        if not isinstance(data, dict):
            raise DataNotDictLikeError(
                f"Data must be a dict or dict-like object, got {type(data).__name__}"
            )
        value = self.json_dumps(data) if data else None
        self._put(held[1], self.key_builder.build(key, "data"), value, self.data_ttl)
