"""The load test's plumbing (bench/load.py): worker processes in webhook mode, the tiny
round-robin proxy in front of them, and cleaning up after them. Loopback only."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp
from aiohttp import web

from bot.sandbox.webhook import SECRET_HEADER

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class RoundRobin:
    """The tiny load balancer: each POST to the next worker, the answer passed back."""

    def __init__(self, backends: list[str]) -> None:
        self.backends = backends
        self.next = 0
        self.http: aiohttp.ClientSession | None = None

    async def handle(self, request: web.Request) -> web.Response:
        assert self.http is not None
        backend = self.backends[self.next % len(self.backends)]
        self.next += 1
        headers = {k: v for k, v in request.headers.items()
                   if k.lower() in ("content-type", SECRET_HEADER.lower())}  # fmt: skip
        try:
            async with self.http.post(backend + request.path, data=await request.read(),
                                      headers=headers) as answer:  # fmt: skip
                return web.Response(status=answer.status, body=await answer.read(),
                                    content_type=answer.content_type)  # fmt: skip
        except aiohttp.ClientError:
            return web.Response(status=502)

    @asynccontextmanager
    async def serving(self, port: int) -> AsyncIterator[None]:
        app = web.Application()
        app.router.add_post("/{tail:.*}", self.handle)
        runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        connector = aiohttp.TCPConnector(limit=0)
        self.http = aiohttp.ClientSession(connector=connector)
        try:
            yield
        finally:
            await self.http.close()
            await runner.cleanup()


def start_worker(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "bot", "run"], cwd=ROOT, stderr=subprocess.STDOUT, stdout=out,
            env={**env, "WEBHOOK_PORT": str(port)},
        )  # fmt: skip


async def until_up(ports: list[int], workers: list[subprocess.Popen[bytes]], log: Path) -> None:
    deadline = time.monotonic() + 90
    async with aiohttp.ClientSession() as http:
        for port in ports:
            while True:
                if any(w.poll() is not None for w in workers):
                    raise RuntimeError(f"a worker exited; its log: {log}")
                with contextlib.suppress(aiohttp.ClientError):
                    async with http.get(f"http://127.0.0.1:{port}/healthz") as answer:
                        if answer.status == 200:
                            break
                if time.monotonic() > deadline:
                    raise RuntimeError("workers did not come up in 90 s")
                await asyncio.sleep(0.2)


def tracebacks(logs: Path, stem: str) -> int:
    return sum(path.read_text(errors="replace").count("Traceback")
               for path in logs.glob(stem + ".*.log"))  # fmt: skip


async def forget_prefix(redis_url: str, prefix: str) -> None:
    from redis.asyncio import Redis

    client = Redis.from_url(redis_url)
    try:
        keys = [key async for key in client.scan_iter(match=f"{prefix}:*", count=1000)]
        for start in range(0, len(keys), 1000):
            await client.delete(*keys[start:start + 1000])
    finally:
        await client.aclose()
