"""The chat scope: one update's hold on its own private chat (see the package docstring)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from contextvars import ContextVar
from typing import Any

from aiogram.fsm.storage.base import BaseEventIsolation, StorageKey

Flush = Callable[[Any], Awaitable[None]]


class ChatScope:
    """What one update keeps for the chat it holds the lock of. Storages file their own state
    under themselves (`slot`) and say how to write it out (`flush`)."""

    def __init__(self, key: StorageKey) -> None:
        self.key = key
        self.active = True
        # Tasks started inside the update inherit the context variable, but not the lock.
        self.task = asyncio.current_task()
        self._slots: dict[int, tuple[Any, Flush]] = {}

    def covers(self, key: StorageKey) -> bool:
        held = self.key
        return (
            self.active
            and asyncio.current_task() is self.task
            and key.chat_id == held.chat_id
            and key.user_id == held.user_id
            and key.bot_id == held.bot_id
            and key.thread_id == held.thread_id
            and key.business_connection_id == held.business_connection_id
        )

    def slot(self, owner: object, create: Callable[[], Any], flush: Flush) -> Any:
        """The owner's per-update state, made on first use; `flush(state)` runs at the end."""
        entry = self._slots.get(id(owner))
        if entry is None:
            entry = (create(), flush)
            self._slots[id(owner)] = entry
        return entry[0]

    async def close(self) -> None:
        self.active = False
        errors: list[BaseException] = []
        for state, flush in self._slots.values():
            try:
                await flush(state)
            except BaseException as error:  # every storage gets its turn to write
                errors.append(error)
        if errors:
            raise errors[0]


_SCOPE: ContextVar[ChatScope | None] = ContextVar("maharatyar_chat_scope", default=None)


def scope_for(key: StorageKey) -> ChatScope | None:
    """The scope of the running update if it holds the lock of `key`'s chat, else None."""
    scope = _SCOPE.get()
    if scope is not None and scope.covers(key):
        return scope
    return None


def is_private_chat(key: StorageKey) -> bool:
    return key.chat_id == key.user_id


class ChatScopedIsolation(BaseEventIsolation):
    """Per-chat lock plus the update's scope. Subclasses say how the lock is held (`hold`)."""

    @asynccontextmanager
    async def lock(self, key: StorageKey) -> AsyncGenerator[None, None]:
        if scope_for(key) is not None:
            # aiogram-dialog's stack lock inside the update's own chat lock: already held.
            yield
            return
        async with self.hold(key) as scope:
            if scope is None:
                yield
                return
            token = _SCOPE.set(scope)
            try:
                yield
            finally:
                _SCOPE.reset(token)

    def hold(self, key: StorageKey) -> AbstractAsyncContextManager[ChatScope | None]:
        """Hold `key`'s lock; for a private chat with a scope, closed (written out) before the
        lock is released, so the next update of the chat reads what this one wrote."""
        raise NotImplementedError


class LocalChatIsolation(ChatScopedIsolation):
    """Per-chat order within this process (the SQL-storage setup is one process).

    Unlike aiogram's SimpleEventIsolation, a chat's lock is dropped once nobody holds or awaits
    it, so a long-running bot does not keep one per person it ever heard from."""

    def __init__(self) -> None:
        # key -> (lock, how many hold or await it)
        self._locks: dict[StorageKey, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, key: StorageKey) -> AsyncGenerator[ChatScope | None, None]:
        lock, users = self._locks.get(key) or (asyncio.Lock(), 0)
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                scope = ChatScope(key) if is_private_chat(key) else None
                try:
                    yield scope
                finally:
                    if scope is not None:
                        await scope.close()
        finally:
            lock, users = self._locks[key]
            if users == 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)

    async def close(self) -> None:
        return None
