"""The page's long poll must not hold the sandbox open at shutdown (Ctrl+C, test teardown)."""

from __future__ import annotations

import asyncio
import time

from aiohttp import ClientSession

from bot.sandbox.server import start_sandbox_server
from bot.serving.sandbox import build_sandbox_api


async def test_open_page_poll_is_answered_when_the_server_stops() -> None:
    api = build_sandbox_api()
    server = await start_sandbox_server(api, "127.0.0.1", 0)
    bot_id = next(iter(api.bots.values())).bot_id
    async with ClientSession() as http:
        poll = asyncio.create_task(
            http.get(f"{server.base_url}/ui/api/poll?bot={bot_id}&since=0&wait=20")
        )
        state = api.bot_by_id(bot_id)
        for _ in range(100):  # until the handler is parked on the change waiter
            if state.waiters:
                break
            await asyncio.sleep(0.02)
        assert state.waiters, "the poll never started waiting"

        started = time.monotonic()
        await server.close()
        async with await poll as response:
            assert response.status == 200
            assert (await response.json())["messages"] == []
        assert time.monotonic() - started < 5, "shutdown waited for the long poll"
    await api.close()
