"""In a real browser: an administrator asks the bot for the dashboard on the sandbox chat page,
opens the one-time link, reads the overview (charts, and numbers equal to the data set's),
filters by province and downloads the applications' export. The overview's screenshot is kept
at artifacts/dashboard_overview.png (and /tmp/dashboard_overview.png)."""

from __future__ import annotations

import asyncio
import contextlib
import csv
import io
import re
import shutil
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect

from bot.app import Maharatyar, build_app
from bot.config import Settings
from bot.sandbox.models import DEMO_USER
from bot.sandbox.server import start_sandbox_server
from bot.serving.api import api_beside_bots
from bot.serving.sandbox import build_sandbox_api, sandbox_settings
from bot.serving.startup import prepare_database
from services.jalali import today_in
from tests.browser.chat_page import STEP_TIMEOUT_MS, ChatPage
from tests.dashboard.data import EXPECTED, TEHRAN, build

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
SCREENSHOT = "dashboard_overview.png"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
async def dashboard_sandbox(tmp_path: Path) -> AsyncIterator[tuple[str, Maharatyar]]:
    """The sandbox (page + emulator + polling bot, the page's person an administrator) with
    the API's server beside it, on the known data set."""
    api = build_sandbox_api()
    server = await start_sandbox_server(api, "127.0.0.1", 0)
    port = _free_port()
    base = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'dashboard.db'}",
        redis_url=None,
        throttle_rate=1000,
        admins=f"telegram:{DEMO_USER.id}",
        document_dir=tmp_path / "documents",
        api_port=port,
        dashboard_base_url=f"http://127.0.0.1:{port}",
    )
    settings = sandbox_settings(base, server.base_url)
    await prepare_database(settings)
    app = await build_app(settings)
    await build(app.session_factory, today_in(settings.timezone))
    polling = asyncio.create_task(
        app.dispatcher.start_polling(
            *app.bots.values(), polling_timeout=1, handle_signals=False, close_bot_session=False
        )
    )
    try:
        async with api_beside_bots(settings, app.services, app.session_factory):
            yield server.base_url, app
    finally:
        try:
            await app.dispatcher.stop_polling()
        except RuntimeError:
            polling.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(polling, 10)
        await app.close()
        await server.close()
        await api.close()


EXAM_CARDS = {
    "exam-sessions": "sessions_held", "exam-invited": "invited",
    "exam-will-attend": "will_attend", "exam-attended": "attended",
    "exam-examined": "examined", "exam-passed": "passed", "exam-failed": "failed",
    "certificates": "certificates",
}


async def card(page: Page, name: str) -> str:
    value = await page.get_by_test_id(f"card-{name}").get_attribute("data-value")
    assert value is not None, name
    return value


async def test_dashboard_from_the_bot_to_the_export(
    dashboard_sandbox: tuple[str, Maharatyar], browser: Browser
) -> None:
    sandbox_url, _app = dashboard_sandbox
    chat_page = await browser.new_page(viewport={"width": 1000, "height": 700}, locale="fa-IR")
    chat = ChatPage(chat_page)
    await chat.open(sandbox_url, "telegram")
    answer = await chat.send("/dashboard")
    link = re.search(r"http://127\.0\.0\.1:\d+/dashboard/login\?token=\S+", answer)
    assert link, answer

    # A phone-sized window: the pages must read there.
    context = await browser.new_context(
        viewport={"width": 412, "height": 915}, locale="fa-IR", accept_downloads=True
    )
    page = await context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    await page.goto(link.group(0))
    # The sign-in page moves on to the overview by itself.
    await expect(page.get_by_test_id("cards")).to_be_visible(timeout=STEP_TIMEOUT_MS)
    assert page.url.endswith("/dashboard")
    assert await page.evaluate("document.documentElement.dir") == "rtl"

    want = EXPECTED[None]
    assert await card(page, "applications") == str(want["applications"])
    assert await card(page, "registrations") == str(want["registrations"])
    assert await card(page, "queue") == str(want["in_queue"])
    assert await card(page, "documents") == str(want["documents"])
    assert await card(page, "tickets") == str(want["open_tickets"])
    assert float(await card(page, "decision-median")) == pytest.approx(want["median_hours"])
    assert float(await card(page, "decision-p90")) == pytest.approx(want["p90_hours"])
    # Persian digits on the page, the charts drawn (an SVG per chart, with its table).
    await expect(page.get_by_test_id("card-applications")).to_have_text("۸")
    exams = want["exams"]
    for name, key in EXAM_CARDS.items():
        assert await card(page, name) == str(exams[key]), name
    for key in ("days", "messengers", "statuses", "programs", "provinces", "exam_steps",
                "exam_rates"):
        chart = page.get_by_test_id(f"chart-{key}")
        await expect(chart.locator("svg")).to_be_visible()
        await expect(chart.get_by_test_id(f"table-{key}")).to_be_visible()
    statuses = page.get_by_test_id("table-statuses").locator("td")
    values = sorted([int(v or 0) for v in await statuses.evaluate_all(
        "cells => cells.map(cell => cell.dataset.value)")])
    assert values == sorted(want["statuses"].values())
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / SCREENSHOT), full_page=True)
    shutil.copy(ARTIFACTS / SCREENSHOT, Path("/tmp") / SCREENSHOT)

    # The province filter.
    await page.get_by_test_id("province-select").select_option(TEHRAN)
    await page.get_by_test_id("province-apply").click()
    await expect(page.get_by_test_id("card-applications")).to_have_attribute(
        "data-value", str(EXPECTED[TEHRAN]["applications"])
    )
    assert "province=" in page.url
    assert await card(page, "queue") == str(EXPECTED[TEHRAN]["in_queue"])

    # The export, with the same province.
    async with page.expect_download() as download_info:
        await page.get_by_test_id("export").click()
    download = await download_info.value
    saved = await download.path()
    content = (await asyncio.to_thread(Path(saved).read_bytes)).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content)))
    assert len(rows) == EXPECTED[TEHRAN]["applications"]
    assert {row["tracking_code"] for row in rows} == {
        "HMN-1405-000001", "HMN-1405-000002", "HMN-1405-000003",
        "HMN-1405-000007", "HMN-1405-000008", "HMN-1405-000009",  # the exam trainees
    }

    # The demand page from the menu keeps the province (nobody waits in this data set).
    await page.get_by_test_id("nav-demand").click()
    await expect(page.get_by_test_id("demand-empty")).to_be_visible()
    assert "/dashboard/demand?province=" in page.url

    # Nothing was fetched from anywhere but the dashboard's own server.
    origin = link.group(0).split("/dashboard")[0]
    assert all(url.startswith(origin) for url in requests), requests
    assert not errors, errors

    # The same link again: refused with a Persian page.
    again = await context.new_page()
    await again.goto(link.group(0))
    await expect(again.get_by_test_id("refused")).to_have_attribute("data-reason", "used")
    await context.close()
