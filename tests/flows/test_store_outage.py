"""Redis or PostgreSQL down: the person is told, politely and once a minute, that the service is
busy; in webhook mode the update is handled when the messenger delivers it again after the store
is back; the same process serves as usual once the store returns (no restart).

Outages are real: a Redis URL on a closed local port, or a TCP proxy in front of the real server
that the test closes and reopens."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable

import pytest
from aiohttp import web
from pydantic import SecretStr
from sqlalchemy.engine import make_url

from bot.config import Platform
from bot.i18n import build_i18n
from bot.middlewares.outage import SEND_AGAIN, WILL_BE_ANSWERED
from bot.sandbox.user_side import inline_buttons
from bot.serving.webhook import build_webhook_app, webhook_path, webhook_secret
from tests.flows.harness import TOKENS, Sandbox
from tests.tcp_proxy import TcpProxy, closed_port

FA = build_i18n("fa")
SEND_AGAIN_FA = FA.gettext(SEND_AGAIN, locale="fa")
WILL_BE_ANSWERED_FA = FA.gettext(WILL_BE_ANSWERED, locale="fa")
CONSENT_BUTTON = "✅ I agree"


def test_busy_notices_are_persian() -> None:
    for text in (SEND_AGAIN_FA, WILL_BE_ANSWERED_FA):
        assert "دقیقه" in text, text


@pytest.fixture
async def redis_proxy(redis_url: str) -> AsyncIterator[TcpProxy]:
    target = make_url(redis_url.replace("redis://", "postgresql://", 1))
    proxy = TcpProxy(target.host or "127.0.0.1", target.port or 6379)
    await proxy.open()
    try:
        yield proxy
    finally:
        await proxy.close()


@pytest.fixture
async def behind_redis_proxy(
    database_url: str, redis_url: str, redis_key_prefix: str, redis_proxy: TcpProxy
) -> AsyncIterator[Sandbox]:
    database = redis_url.split("/")[-1] or "0"
    box = await Sandbox.start(
        database_url, f"redis://127.0.0.1:{redis_proxy.port}/{database}",
        redis_prefix=redis_key_prefix,
    )
    try:
        yield box
    finally:
        await redis_proxy.open()  # the clean-up reads Redis through it
        await box.close()


async def test_redis_unreachable_person_told_once_a_minute(
    database_url: str, platform: Platform
) -> None:
    box = await Sandbox.start(database_url, f"redis://127.0.0.1:{closed_port()}/0")
    try:
        person = box.person(platform, language_code="en")
        replies = await person.send("/start")  # polling: the update is not raised out
        assert [m.text for m in replies] == [SEND_AGAIN_FA]
        assert await person.send("سلام") == []  # the same minute: no second notice
        other = box.person(platform)
        assert [m.text for m in await other.send("/help")] == [SEND_AGAIN_FA]
    finally:
        box.user_ids.clear()  # nothing was written to a Redis that is not there
        await box.close()


async def test_polling_recovers_without_restart_after_redis_outage(
    behind_redis_proxy: Sandbox, redis_proxy: TcpProxy, platform: Platform
) -> None:
    person = behind_redis_proxy.person(platform, language_code="en")
    assert await person.send("/help")
    await redis_proxy.close()
    assert [m.text for m in await person.send("/start")] == [SEND_AGAIN_FA]
    await redis_proxy.open()
    replies = await person.send("/start")
    assert CONSENT_BUTTON in [text for text, _ in inline_buttons(replies[-1])]


@contextlib.asynccontextmanager
async def webhook_served(box: Sandbox, platform: Platform) -> AsyncIterator[None]:
    box.app.settings = box.settings.model_copy(
        update={"webhook_secret": SecretStr("s3cret-for-tests"),
                "webhook_base_url": "http://127.0.0.1"}
    )
    runner = web.AppRunner(build_webhook_app(box.app), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    port = runner.addresses[0][1]
    bot = box.app.bots[platform]
    await bot.set_webhook(
        f"http://127.0.0.1:{port}" + webhook_path(box.app.settings, platform),
        secret_token=webhook_secret(box.app.settings, platform),
    )
    try:
        yield
    finally:
        await bot.delete_webhook()
        await runner.cleanup()


async def _wait_for(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    for _ in range(int(seconds / 0.02)):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"not true within {seconds} s")


async def test_webhook_update_is_handled_once_redis_is_back(
    behind_redis_proxy: Sandbox, redis_proxy: TcpProxy, platform: Platform
) -> None:
    box, token = behind_redis_proxy, TOKENS[platform]
    person = box.person(platform, language_code="en")
    async with webhook_served(box, platform):
        await redis_proxy.close()
        box.api.user_sends(token, person.user, text="/start")
        delivery = asyncio.create_task(box.api.deliver_via_webhook(token, timeout=20))
        await _wait_for(lambda: any(m.outgoing for m in person.messages()))
        await asyncio.sleep(0.5)  # the messenger's retries meanwhile add no second notice
        assert [m.text for m in person.messages() if m.outgoing] == [WILL_BE_ANSWERED_FA]
        await redis_proxy.open()
        assert await delivery == 1
    replies = [m for m in person.messages() if m.outgoing]
    assert [m.text for m in replies[:1]] == [WILL_BE_ANSWERED_FA]
    assert len(replies) == 2
    assert CONSENT_BUTTON in [text for text, _ in inline_buttons(replies[1])]


async def test_polling_recovers_without_restart_after_database_outage(
    database_url: str, database_kind: str, platform: Platform
) -> None:
    if database_kind != "postgresql":
        pytest.skip("a SQLite file cannot become unreachable")
    target = make_url(database_url)
    proxy = TcpProxy(target.host or "127.0.0.1", target.port or 5432)
    await proxy.open()
    via_proxy = target.set(host="127.0.0.1", port=proxy.port).render_as_string(
        hide_password=False
    )
    box = await Sandbox.start(via_proxy)
    try:
        person = box.person(platform, language_code="en")
        assert await person.send("/help")
        await proxy.close()
        # The account is still in the short cache: what needed no database has answered, the
        # notice ends it, in the person's language (known from the cache).
        texts = [m.text for m in await person.send("/start")]
        notice = FA.gettext(SEND_AGAIN, locale="en")
        assert texts[-1:] == [notice] and texts.count(notice) == 1, texts
        await proxy.open()
        replies = await person.send("/start")
        assert CONSENT_BUTTON in [text for text, _ in inline_buttons(replies[-1])]
    finally:
        await proxy.open()
        await box.close()
        await proxy.close()
