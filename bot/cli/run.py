"""`python -m bot run` and `python -m bot sandbox`: serve until Ctrl+C."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

from bot.config import Settings


def run_command(settings: Settings) -> int:
    from bot.serving.run import run

    return _run_forever(run(settings))


def sandbox_command(settings: Settings, flavour: str | None, port: int | None) -> int:
    from bot.serving.sandbox import run_sandbox

    update = {k: v for k, v in (("sandbox_flavour", flavour), ("sandbox_port", port))
              if v is not None}
    return _run_forever(run_sandbox(settings.model_copy(update=update)))


def _run_forever(coro: Coroutine[Any, Any, None]) -> int:
    try:
        asyncio.run(coro)
    except KeyboardInterrupt:
        pass
    return 0
