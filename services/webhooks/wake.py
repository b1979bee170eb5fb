"""Senders of this process waiting for new deliveries: an emit wakes them after its commit, so an
event goes out at once instead of at the next poll (other processes' events wait for the poll)."""

from __future__ import annotations

import asyncio

_waiting: set[asyncio.Event] = set()


def register(wake: asyncio.Event) -> None:
    _waiting.add(wake)


def unregister(wake: asyncio.Event) -> None:
    _waiting.discard(wake)


def wake_senders() -> None:
    for wake in tuple(_waiting):
        wake.set()
