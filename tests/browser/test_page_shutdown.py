"""Long polls (the page's and the bots' getUpdates) must not hold the sandbox open at shutdown
(Ctrl+C, test teardown)."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import time
from pathlib import Path

from aiohttp import ClientSession

from bot.sandbox.server import start_sandbox_server
from bot.serving.sandbox import build_sandbox_api

PROJECT_ROOT = Path(__file__).resolve().parents[2]


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


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def _until_polling(process: asyncio.subprocess.Process, bots: int) -> None:
    """Read the log until every bot has started its getUpdates loop."""
    assert process.stderr is not None
    started = 0
    while started < bots:
        line = await asyncio.wait_for(process.stderr.readline(), 60)
        assert line, "the sandbox exited before polling"
        started += b"Run polling for bot" in line


async def test_ctrl_c_stops_the_sandbox_within_two_seconds(tmp_path: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "SANDBOX_FLAVOUR"}}
    env["DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / 'sandbox.db'}"
    env["DOCUMENT_DIR"] = str(tmp_path / "documents")
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "sandbox", "--port", str(port),
        cwd=PROJECT_ROOT, env=env, stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        await _until_polling(process, bots=2)
        assert process.stderr is not None
        drain = asyncio.create_task(process.stderr.read())
        base = f"http://127.0.0.1:{port}"
        async with ClientSession() as http:
            async with http.get(f"{base}/healthz") as response:
                assert response.status == 200
            async with http.get(f"{base}/ui/api/bots") as response:
                bot_id = (await response.json())["bots"][0]["id"]
            # An open chat page holds a long poll too; both kinds must let go.
            page_poll = asyncio.create_task(
                http.get(f"{base}/ui/api/poll?bot={bot_id}&since=999999&wait=20")
            )
            await asyncio.sleep(0.5)  # the bots' getUpdates and the page's poll are parked

            started = time.monotonic()
            process.send_signal(signal.SIGINT)
            await asyncio.wait_for(process.wait(), 30)
            elapsed = time.monotonic() - started
            page_poll.cancel()
        log = (await drain).decode(errors="replace")
        assert elapsed < 2, f"Ctrl+C took {elapsed:.1f} s; log tail:\n{log[-2000:]}"
        assert "Traceback" not in log, log
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
