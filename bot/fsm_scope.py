"""One update's hold on its own private chat: the chat lock, and the conversation state read and
written under it.

aiogram takes a per-chat lock (the event isolation) around every update, and aiogram-dialog
takes a second one around the dialog stack of the same chat. Under the first lock nobody else
reads or writes that person's conversation keys (every writer is an update of the same chat;
with Redis the lock is shared by all workers). So while it is held:

* the dialog's nested lock on the same chat is already covered and is not taken again;
* the storages may keep what they read (one read per key and update) and hold back writes until
  the update ends, then write them all at once (one transaction or one Redis round trip) before
  the lock is released. A crash mid-update loses that update's writes together, instead of
  some of them: aiogram-dialog already saves its context only after the handler has answered.

Only a private chat (chat id == user id) gets a scope; groups keep the storages' plain path.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable
from contextlib import asynccontextmanager
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
        self._slots: dict[int, tuple[Any, Flush]] = {}

    def covers(self, key: StorageKey) -> bool:
        held = self.key
        return (
            self.active
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
    """The wrapped isolation's per-chat lock (in process or in Redis), plus the update's scope."""

    def __init__(self, inner: BaseEventIsolation) -> None:
        self.inner = inner

    @asynccontextmanager
    async def lock(self, key: StorageKey) -> AsyncGenerator[None, None]:
        if scope_for(key) is not None:
            # aiogram-dialog's stack lock inside the update's own chat lock: already held.
            yield
            return
        async with self.inner.lock(key):
            if not is_private_chat(key):
                yield
                return
            scope = ChatScope(key)
            token = _SCOPE.set(scope)
            try:
                yield
            finally:
                _SCOPE.reset(token)
                # Still under the lock: the next update of this chat reads what was written.
                await scope.close()

    async def close(self) -> None:
        await self.inner.close()
