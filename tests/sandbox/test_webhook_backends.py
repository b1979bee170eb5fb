"""The sandbox as a load balancer in front of several webhook workers: updates go to the
backends in turn, in order; a backend that refuses the connection or answers 5xx is skipped for
the next one at once, so each update is taken exactly once."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web

from bot.sandbox.core import SandboxBotAPI
from bot.sandbox.user_side import DEMO_USER
from tests.sandbox.conftest import TG_TOKEN
from tests.tcp_proxy import closed_port


class Backend:
    def __init__(self, fail_first: int = 0) -> None:
        self.texts: list[str] = []
        self.fail_first = fail_first
        self.origin = ""
        self._runner: web.AppRunner | None = None

    async def _hook(self, request: web.Request) -> web.Response:
        if self.fail_first:
            self.fail_first -= 1
            return web.Response(status=503)
        body: dict[str, Any] = await request.json()
        self.texts.append(body["message"]["text"])
        return web.Response()

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/webhook/telegram", self._hook)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.origin = f"http://127.0.0.1:{self._runner.addresses[0][1]}"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


@pytest.fixture
async def backends() -> AsyncIterator[list[Backend]]:
    started = [Backend(), Backend(fail_first=1)]
    for backend in started:
        await backend.start()
    yield started
    for backend in started:
        await backend.stop()


async def test_updates_go_round_robin_and_fail_over_at_once(
    api: SandboxBotAPI, backends: list[Backend]
) -> None:
    first, flaky = backends
    down = f"http://127.0.0.1:{closed_port()}"
    await api.call(TG_TOKEN, "setWebhook", {"url": "http://lb.invalid/webhook/telegram"})
    api.balance_webhook(TG_TOKEN, [first.origin, flaky.origin, down])
    for n in range(6):
        api.user_sends(TG_TOKEN, DEMO_USER, text=f"m{n}")
    started = time.monotonic()
    assert await api.deliver_via_webhook(TG_TOKEN) == 6
    assert time.monotonic() - started < 0.1 * 6  # no pause while another backend was free

    # m0 -> first; m1 -> flaky (503) -> down (refused) -> first; m2 -> flaky; m3 -> down ->
    # first; m4 -> flaky; m5 -> down -> first.
    assert first.texts == ["m0", "m1", "m3", "m5"]
    assert flaky.texts == ["m2", "m4"]
    statuses = [status for _, status in api.bot(TG_TOKEN).webhook_attempts]
    assert statuses == [200, 503, 0, 200, 200, 0, 200, 200, 0, 200]
