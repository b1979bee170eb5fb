"""Pushing queued updates to a webhook URL the way Telegram does (in order, retried, secret header).

aiohttp is imported lazily so the in-process core stays importable without a network stack.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

from bot.sandbox.models import BotState

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
_RETRY_DELAYS = (0.1, 0.3, 1.0)

# Runs a Bot API method that the webhook answered with (aiogram's "reply in webhook" feature).
MethodRunner = Callable[[str, dict[str, Any]], Awaitable[tuple[int, dict[str, Any]]]]


async def deliver_pending(state: BotState, run_method: MethodRunner) -> int:
    """POST queued updates one by one until the queue is empty or the webhook is removed."""
    import aiohttp

    delivered = 0
    failures = 0
    headers = {"Content-Type": "application/json"}
    async with aiohttp.ClientSession() as session:
        while state.webhook_url and state.updates:
            update = state.updates[0]
            url = state.webhook_url
            if state.webhook_secret:
                headers[SECRET_HEADER] = state.webhook_secret
            else:
                headers.pop(SECRET_HEADER, None)
            try:
                async with session.post(url, data=json.dumps(update), headers=headers) as resp:
                    body = await resp.read()
                    status = resp.status
            except (aiohttp.ClientError, TimeoutError) as error:
                status, body = 0, b""
                state.webhook_error = f"Connection failed: {error}"
            if 200 <= status < 300:
                if state.updates and state.updates[0] is update:
                    state.updates.pop(0)
                delivered += 1
                failures = 0
                state.webhook_delivered += 1
                state.bump()
                await _run_answer(body, run_method)
                continue
            if status:
                state.webhook_error = f"Wrong response from the webhook: {status}"
            delay = _RETRY_DELAYS[min(failures, len(_RETRY_DELAYS) - 1)]
            failures += 1
            await asyncio.sleep(delay)
    return delivered


async def _run_answer(body: bytes, run_method: MethodRunner) -> None:
    if not body:
        return
    try:
        answer = json.loads(body)
    except ValueError:
        return
    if isinstance(answer, dict) and isinstance(answer.get("method"), str):
        method = answer.pop("method")
        await run_method(method, answer)
