"""Conversation state in Redis, shared by every worker, in as few round trips as possible.

Plain RedisStorage makes a round trip for every get and set: the chat lock (take and release),
the FSM state, aiogram-dialog's stack and context (read, then written back), our registration
draft (read two or three times). Within an update that holds its chat's lock (bot.fsm.chat_scope)
nobody else touches these keys, on any worker, so:

* RedisChatIsolation takes the chat lock and reads the keys almost every update needs (FSM state
  and data, dialog stack, and the context of the open dialog the stack names) in one script
  call, and at the end writes what changed and releases the lock in another: two round trips
  per update, form steps included;
* ScopedRedisStorage answers from what was read and keeps the writes for that last call.

Outside such an update (group chats, code run outside an update) the storage is plain
RedisStorage. The lock is the same key and token protocol as redis-py's Lock (aiogram's
RedisEventIsolation), so workers of the previous release keep the same order during an upgrade.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import uuid
from collections.abc import AsyncGenerator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from typing import Any, Literal, cast

from aiogram.exceptions import DataNotDictLikeError
from aiogram.fsm.state import State
from aiogram.fsm.storage.base import DEFAULT_DESTINY, KeyBuilder, StateType, StorageKey
from aiogram.fsm.storage.redis import RedisStorage
from redis.asyncio import Redis
from redis.typing import ExpiryT

from bot.fsm.chat_scope import ChatScope, ChatScopedIsolation, is_private_chat, scope_for

logger = logging.getLogger(__name__)

# aiogram-dialog keeps the stack of a private chat under this destiny (DEFAULT_STACK_ID is "")
# and each open dialog's context under the second one, followed by the dialog's intent id.
DIALOG_STACK_DESTINY = "aiogd:stack:"
DIALOG_CONTEXT_DESTINY = "aiogd:context:"
_MARK = "\x00"


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

    def usual_keys(self, scope: ChatScope) -> list[str]:
        """What almost every update of a private chat reads: the FSM state and data, and the
        dialog stack (last). Fetched together on the update's first read."""
        default = replace(scope.key, destiny=DEFAULT_DESTINY)
        stack = replace(scope.key, destiny=DIALOG_STACK_DESTINY)
        build = self.key_builder.build
        return [build(default, "state"), build(default, "data"), build(stack, "data")]

    def context_key_around(self, scope: ChatScope) -> tuple[str, str]:
        """The key of an open dialog's context, before and after its intent id."""
        marked = replace(scope.key, destiny=DIALOG_CONTEXT_DESTINY + _MARK)
        before, after = self.key_builder.build(marked, "data").split(_MARK)
        return before, after

    async def _value(
        self, scope: ChatScope, reads: _Reads, key: StorageKey, part: Literal["state", "data"]
    ) -> Any:
        name = self.key_builder.build(key, part)
        if name in reads.values:
            return reads.values[name]
        names = [name, self.key_builder.build(key, "data" if part == "state" else "state")]
        if not reads.usual_fetched:
            reads.usual_fetched = True
            names += self.usual_keys(scope)
        missing = [n for n in dict.fromkeys(names) if n not in reads.values]
        for missing_name, value in zip(missing, await self.redis.mget(missing), strict=True):
            reads.values[missing_name] = _text(value)
        return reads.values[name]

    def _put(self, reads: _Reads, name: str, value: str | None, ttl: ExpiryT | None) -> None:
        if ttl is None and name in reads.values and reads.values[name] == value:
            return  # unchanged (a TTL would need the write to be refreshed)
        reads.values[name] = value
        reads.dirty[name] = ttl

    def seed(self, scope: ChatScope, names: list[str], values: list[Any]) -> None:
        """What the lock's script read for `scope`, as if this storage had read it: `values`
        of `names`, then maybe a dialog context's key and value."""
        reads: _Reads = scope.slot(self, _Reads, self._flush)
        reads.usual_fetched = True
        for name, value in zip(names, values[: len(names)], strict=True):
            reads.values.setdefault(name, _text(value))
        extra = values[len(names):]
        for name, value in zip(extra[::2], extra[1::2], strict=True):
            reads.values.setdefault(cast(str, _text(name)), _text(value))

    def take_writes(self, scope: ChatScope) -> list[tuple[str, str | None, ExpiryT | None]]:
        """The update's writes, (key, text or None to delete, TTL), for the lock's last call."""
        reads: _Reads = scope.slot(self, _Reads, self._flush)
        writes = [(name, reads.values[name], ttl) for name, ttl in reads.dirty.items()]
        reads.dirty.clear()
        return writes

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


# KEYS: the lock, then the keys to read. ARGV: token, lock lifetime in ms, and where the dialog
# stack is among KEYS with the name of a dialog context around its intent id (prefix, suffix).
# Returns false if the lock is taken; else the values read, then, if the stack names an open
# dialog, that dialog's context key and value (a key not in KEYS: fine on one Redis server,
# not on a cluster).
_TAKE_AND_READ = """
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return false end
if #KEYS == 1 then return {} end
local values = redis.call('MGET', unpack(KEYS, 2))
local stack = values[tonumber(ARGV[3]) - 1]
if stack then
  local ok, decoded = pcall(cjson.decode, stack)
  if ok and type(decoded) == 'table' and type(decoded['intents']) == 'table' then
    local intent = decoded['intents'][#decoded['intents']]
    if type(intent) == 'string' then
      local context = ARGV[4] .. intent .. ARGV[5]
      values[#values + 1] = context
      values[#values + 1] = redis.call('GET', context)
    end
  end
end
return values
"""

# KEYS: the lock, then the keys written. ARGV: token, then per key written an operation
# ('-' delete, '0' set, else set with that lifetime in ms) and the value.
# Returns 1 if the lock was still ours (released), 0 if it had expired (left alone).
_WRITE_AND_RELEASE = """
for i = 2, #KEYS do
  local op, value = ARGV[2 * i - 2], ARGV[2 * i - 1]
  if op == '-' then redis.call('DEL', KEYS[i])
  elseif op == '0' then redis.call('SET', KEYS[i], value)
  else redis.call('SET', KEYS[i], value, 'PX', op) end
end
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
"""


def _milliseconds(ttl: ExpiryT) -> int:
    return int(ttl.total_seconds() * 1000) if isinstance(ttl, dt.timedelta) else int(ttl) * 1000


class RedisChatIsolation(ChatScopedIsolation):
    """Per-chat order across all workers (a Redis lock per chat), with the update's reads and
    writes riding on the lock's two calls (see the module docstring)."""

    def __init__(
        self,
        redis: Redis,
        key_builder: KeyBuilder,
        storage: ScopedRedisStorage | None = None,
        lock_seconds: float = 60.0,
        retry_seconds: float = 0.02,
    ) -> None:
        self.redis = redis
        self.key_builder = key_builder
        self.storage = storage
        # Long enough for any update; a crashed worker's lock frees itself after that.
        self.lock_ms = int(lock_seconds * 1000)
        self.retry_seconds = retry_seconds
        self._take = redis.register_script(_TAKE_AND_READ)
        self._release = redis.register_script(_WRITE_AND_RELEASE)

    @asynccontextmanager
    async def hold(self, key: StorageKey) -> AsyncGenerator[ChatScope | None, None]:
        scope = ChatScope(key) if is_private_chat(key) else None
        storage = self.storage if scope is not None else None
        names: list[str] = []
        args: list[str | int] = [uuid.uuid4().hex, self.lock_ms]
        if storage is not None and scope is not None:
            names = storage.usual_keys(scope)
            args += [len(names) + 1, *storage.context_key_around(scope)]  # the stack is last
        lock = self.key_builder.build(key, "lock")
        token = str(args[0])
        while True:
            values = await self._take(keys=[lock, *names], args=args)
            if values is not None:
                break
            await asyncio.sleep(self.retry_seconds)  # another update of this chat is running
        writes: list[tuple[str, str | None, ExpiryT | None]] = []
        try:
            if storage is not None and scope is not None:
                storage.seed(scope, names, values)
            yield scope
        finally:
            try:
                if scope is not None:
                    if storage is not None:
                        writes = storage.take_writes(scope)
                    await scope.close()
            finally:
                await self._write_and_release(lock, token, writes)

    async def _write_and_release(
        self, lock: str, token: str, writes: list[tuple[str, str | None, ExpiryT | None]]
    ) -> None:
        args: list[str | int] = [token]
        for _, value, ttl in writes:
            if value is None:
                args += ["-", ""]
            else:
                args += [_milliseconds(ttl) if ttl else "0", value]
        released = await self._release(keys=[lock, *(name for name, _, _ in writes)], args=args)
        if not released:
            logger.warning("chat lock %s expired before its update ended", lock)

    async def close(self) -> None:
        if self.storage is None:
            await self.redis.aclose()
