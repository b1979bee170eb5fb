"""The whole sandbox (emulator + web page + the real bot polling it over HTTP) and a headless
Chromium, both started inside the test's event loop."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, async_playwright

from bot.app import build_app
from bot.config import Settings
from bot.sandbox.server import start_sandbox_server
from bot.serving.outbox import start_outbox_senders, stop_outbox_senders
from bot.serving.sandbox import build_sandbox_api, sandbox_settings
from bot.serving.startup import prepare_database

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def staff_forum() -> bool:
    """Whether the Telegram staff group has topics (SANDBOX_STAFF_FORUM); a test may
    parametrize it."""
    return False


@pytest.fixture
async def sandbox_url(tmp_path: Path, staff_forum: bool) -> AsyncIterator[str]:
    """Base URL of a running sandbox whose two bots (Telegram and Bale flavour) are polling."""
    api = build_sandbox_api(staff_forum=staff_forum)
    server = await start_sandbox_server(api, "127.0.0.1", 0)
    base = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'web_chat.db'}",
        redis_url=None,  # a stray REDIS_URL in the environment must not leak state between runs
        # The test answers each question within ~100 ms, faster than the anti-flood limit
        # allows a person (5 updates a second); a human pace would cost ~15 s of sleeping.
        throttle_rate=1000,
    )
    settings = sandbox_settings(base, server.base_url)
    # What `python -m bot sandbox` does first: migrate, seed the sample courses, and make the
    # page's caseworker an administrator.
    await prepare_database(settings)
    app = await build_app(settings)
    # As `run_polling` does: what the bot tells people outside a reply (a handed-off message,
    # a caseworker's answer) goes through the outbox senders.
    senders = start_outbox_senders(app)
    polling = asyncio.create_task(
        app.dispatcher.start_polling(
            *app.bots.values(), polling_timeout=1, handle_signals=False, close_bot_session=False
        )
    )
    try:
        yield server.base_url
    finally:
        try:
            await app.dispatcher.stop_polling()
        except RuntimeError:  # polling never got going (the test failed early)
            polling.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(polling, 10)
        await stop_outbox_senders(senders)
        await app.close()
        await server.close()
        await api.close()


@pytest.fixture
def chromium_path() -> Path:
    """Debian's chromium; missing, the browser tests skip, unless REQUIRE_BROWSER=1 (CI)."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is not installed"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM


@pytest.fixture
async def browser(chromium_path: Path) -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=str(chromium_path), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            await chromium.close()
