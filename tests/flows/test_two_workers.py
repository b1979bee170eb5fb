"""Two webhook workers (`python -m bot run`, separate processes) on one PostgreSQL and one Redis,
behind the sandbox Bot API acting as the messenger and the load balancer: one chat's updates, fed
fast and handed to the workers in turn, are answered in order, none lost, none twice; after one
worker is SIGKILLed the messenger's deliveries to it fail over to the other and nothing is lost.

Runs only where TEST_DATABASE_URL and TEST_REDIS_URL are set (CI); bounded in time."""

from __future__ import annotations

import asyncio
import csv
import inspect
import os
import re
import signal
import subprocess
import sys
import tempfile
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import aiohttp
import pytest

from bot.sandbox.core import SandboxBotAPI
from bot.sandbox.models import SandboxUser
from bot.sandbox.server import start_sandbox_server
from services.catalog_import import COLUMNS, import_courses
from services.jalali import today_in
from storage.db import create_engine, create_session_factory
from storage.migrate import upgrade_database
from tests.conftest import POSTGRES_ENV, REDIS_ENV, PostgresDatabases, in_fresh_thread
from tests.flows.course_steps import TEHRAN_OPEN
from tests.tcp_proxy import closed_port

pytestmark = pytest.mark.skipif(
    not (os.environ.get(POSTGRES_ENV) and os.environ.get(REDIS_ENV)),
    reason="needs TEST_DATABASE_URL and TEST_REDIS_URL",
)
ROOT = Path(__file__).resolve().parents[2]
TOKEN = "1000001:two-workers-token"
CODES = [course.code for course in TEHRAN_OPEN]
CARD_CODE = re.compile(r"Course code: \u2068?([A-Z]\d\d)")
DEADLINE_SECONDS = 45


async def _catalog(url: str) -> None:
    rows = [course.row(today_in()) for course in TEHRAN_OPEN]
    engine = create_engine(url)
    try:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "courses.csv"
            with path.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.DictWriter(handle, fieldnames=list(COLUMNS))
                writer.writeheader()
                writer.writerows(rows)
            report = await import_courses(create_session_factory(engine), path)
        assert report.ok and report.written, report.errors[:3]
    finally:
        await engine.dispose()


@pytest.fixture
def database(postgres_databases: PostgresDatabases) -> str:
    url = postgres_databases.create()
    in_fresh_thread(upgrade_database, url)
    return url


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


def _worker(
    port: int, api_base: str, database: str, redis_url: str, prefix: str, log: Path
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "TELEGRAM_TOKEN": TOKEN,
        "TELEGRAM_API_BASE": api_base,
        "BALE_TOKEN": "",
        "DATABASE_URL": database,
        "REDIS_URL": redis_url,
        "REDIS_PREFIX": prefix,
        "WEBHOOK_BASE_URL": f"http://127.0.0.1:{port}",
        "WEBHOOK_HOST": "127.0.0.1",
        "WEBHOOK_PORT": str(port),
        "WEBHOOK_SECRET": "two-workers-secret",
        "THROTTLE_RATE": "1000",
        "ADMINS": "",
    }
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env, stdout=out,
            stderr=subprocess.STDOUT,
        )


async def _until(
    condition: Callable[[], bool | Awaitable[bool]], what: str, logs: list[Path]
) -> None:
    for _ in range(DEADLINE_SECONDS * 20):
        result = condition()
        if await result if inspect.isawaitable(result) else result:
            return
        await asyncio.sleep(0.05)
    tails = "\n".join(f"--- {log.name}\n{log.read_text()[-3000:]}" for log in logs)
    raise AssertionError(f"timed out waiting for {what}\n{tails}")


async def _healthy(port: int) -> bool:
    try:
        async with aiohttp.ClientSession() as client, client.get(
            f"http://127.0.0.1:{port}/healthz", timeout=aiohttp.ClientTimeout(total=1)
        ) as response:
            return response.status == 200
    except (aiohttp.ClientError, TimeoutError):
        return False


async def test_two_workers_answer_one_chat_in_order_and_survive_a_kill(
    database: str,
    redis_url: str,
    redis_key_prefix: str,
    processes: list[subprocess.Popen[bytes]],
    tmp_path: Path,
) -> None:
    async with asyncio.timeout(55):
        await _catalog(database)
        api = SandboxBotAPI()
        api.add_bot(TOKEN, "telegram")
        server = await start_sandbox_server(api)
        try:
            await _run(api, server.base_url, database, redis_url, redis_key_prefix, processes,
                       tmp_path)
        finally:
            await server.close()
            await api.close()


async def _run(
    api: SandboxBotAPI,
    base_url: str,
    database: str,
    redis_url: str,
    prefix: str,
    processes: list[subprocess.Popen[bytes]],
    tmp_path: Path,
) -> None:
    ports = [closed_port(), closed_port()]
    logs = [tmp_path / f"worker-{i}.log" for i in range(2)]
    for port, log in zip(ports, logs, strict=True):
        processes.append(_worker(port, base_url, database, redis_url, prefix, log))
    state = api.bot(TOKEN)

    async def all_up() -> bool:
        return all([await _healthy(port) for port in ports]) and bool(state.webhook_url)

    await _until(all_up, "both workers to serve", logs)
    api.balance_webhook(TOKEN, [f"http://127.0.0.1:{port}" for port in ports])

    user = SandboxUser(id=int.from_bytes(os.urandom(4), "big") % 10**9 + 10**9,
                       first_name="Sara", language_code="en")
    sent: list[str] = []

    def feed(count: int) -> None:
        for _ in range(count):
            code = CODES[len(sent) % len(CODES)]
            sent.append(code)
            api.user_sends(TOKEN, user, text=f"/start course_{code}")

    def answered_codes() -> list[str]:
        return [
            match.group(1)
            for message in api.messages(TOKEN, user.id)
            if message.outgoing and (match := CARD_CODE.search(message.text or ""))
        ]

    def welcomes() -> int:
        return sum(1 for m in api.messages(TOKEN, user.id)
                   if m.outgoing and (m.text or "").startswith("Welcome to Maharatyar"))

    feed(12)
    await _until(lambda: len(answered_codes()) >= len(sent) and not state.updates,
                 "the first answers", logs)
    assert answered_codes() == sent
    assert welcomes() == len(sent)
    hits = {url.split("/")[2] for url, status in state.webhook_attempts if status == 200}
    assert hits == {f"127.0.0.1:{port}" for port in ports}, state.webhook_attempts

    processes[0].send_signal(signal.SIGKILL)
    processes[0].wait(timeout=10)
    attempts_before = len(state.webhook_attempts)
    feed(10)
    await _until(lambda: len(answered_codes()) >= len(sent) and not state.updates,
                 "the answers after the kill", logs)
    await asyncio.sleep(0.3)  # a duplicate would show up now
    assert answered_codes() == sent
    assert welcomes() == len(sent)
    after = state.webhook_attempts[attempts_before:]
    assert (f"http://127.0.0.1:{ports[0]}", 0) in [(u.rsplit("/webhook", 1)[0], s)
                                                   for u, s in after], after
    assert all(f":{ports[1]}/" in url for url, status in after if status == 200), after
