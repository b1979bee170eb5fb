"""Pushing queued updates to a webhook URL the way Telegram does (in order, retried, secret header).

With backends set (SandboxBotAPI.balance_webhook) the sandbox also plays the load balancer in
front of several workers: each update goes to the next backend in turn, and one that refuses the
connection or answers 5xx is skipped for the next one at once; the usual pause comes only after
every backend failed the same update.

aiohttp is imported lazily so the in-process core stays importable without a network stack.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

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
    skipped = 0  # backends that failed the current update in a row
    headers = {"Content-Type": "application/json"}
    async with aiohttp.ClientSession() as session:
        while state.webhook_url and state.updates:
            update = state.updates[0]
            url = _target(state)
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
            state.webhook_attempts.append((url, status))
            if state.webhook_backends:
                state.webhook_next_backend += 1
            if 200 <= status < 300:
                if state.updates and state.updates[0] is update:
                    state.updates.pop(0)
                delivered += 1
                failures = skipped = 0
                state.webhook_delivered += 1
                state.bump()
                await _run_answer(body, run_method)
                continue
            if status:
                state.webhook_error = f"Wrong response from the webhook: {status}"
            skipped += 1
            if (status == 0 or status >= 500) and skipped < len(state.webhook_backends):
                continue  # another worker may take it now
            skipped = 0
            delay = _RETRY_DELAYS[min(failures, len(_RETRY_DELAYS) - 1)]
            failures += 1
            await asyncio.sleep(delay)
    return delivered


def _target(state: BotState) -> str:
    if not state.webhook_backends:
        return state.webhook_url
    backend = urlsplit(state.webhook_backends[state.webhook_next_backend
                                              % len(state.webhook_backends)])
    parts = urlsplit(state.webhook_url)
    return urlunsplit((backend.scheme, backend.netloc, parts.path, parts.query, ""))


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
