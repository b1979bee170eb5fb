"""Prometheus counts of the updates (services/metrics): per messenger and the handler that took
each one, and the time each took, middlewares included (what the person waits for).

Two parts: an outer update middleware, outermost, times the update and records it once; an
inner middleware on every event observer (aiogram hands inner middlewares down to nested
routers) writes into the update's slot which handler was chosen. An update no handler took is
counted as `unhandled`; one that raised counts in update_errors_total too."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from functools import lru_cache
from typing import Any

from aiogram import BaseMiddleware, Dispatcher
from aiogram.types import TelegramObject
from prometheus_client import Counter, Histogram

from bot.platforms.bots import platform_of
from services.metrics import HANDLER_SECONDS, UPDATE_ERRORS, UPDATES

SLOT = "metrics_slot"
UNHANDLED = "unhandled"
Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class _Slot:
    __slots__ = ("handler",)

    def __init__(self) -> None:
        self.handler = UNHANDLED


class UpdateMetricsMiddleware(BaseMiddleware):
    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        slot = _Slot()
        data[SLOT] = slot
        bot = data.get("bot")
        messenger = platform_of(bot) if bot is not None else "unknown"
        started = time.perf_counter()
        try:
            return await handler(event, data)
        except Exception:
            UPDATE_ERRORS.labels(messenger, slot.handler).inc()
            raise
        finally:
            counted, timed = _series(messenger, slot.handler)
            counted.inc()
            timed.observe(time.perf_counter() - started)


@lru_cache(maxsize=1024)
def _series(messenger: str, handler: str) -> tuple[Counter, Histogram]:
    """The update count and time series of one messenger and handler. A handful of each exist;
    looking them up by label values takes a lock and a tuple each time."""
    return UPDATES.labels(messenger, handler), HANDLER_SECONDS.labels(messenger, handler)


class HandlerNameMiddleware(BaseMiddleware):
    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        slot = data.get(SLOT)
        if isinstance(slot, _Slot):
            slot.handler = handler_name(data.get("handler"))
        return await handler(event, data)


def handler_name(handler_object: object) -> str:
    callback = getattr(handler_object, "callback", None)
    if callback is None:
        return UNHANDLED
    module = getattr(callback, "__module__", None) or "?"
    name = getattr(callback, "__qualname__", None) or type(callback).__qualname__
    return f"{module}.{name}".replace(".<locals>.", ".")


def install_metrics(dispatcher: Dispatcher) -> None:
    """Outermost of the update's outer middlewares (so it times them all), and an inner one on
    every event type."""
    manager = dispatcher.update.outer_middleware
    existing = list(manager)
    for middleware in existing:
        manager.unregister(middleware)
    manager.register(UpdateMetricsMiddleware())
    for middleware in existing:
        manager.register(middleware)
    for name, observer in dispatcher.observers.items():
        if name not in ("update", "error"):
            observer.middleware(HandlerNameMiddleware())
