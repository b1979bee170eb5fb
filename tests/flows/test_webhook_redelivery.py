"""Webhooks over real HTTP: an update whose handling failed is handled when the messenger
delivers it again; a body that is not an update is refused with 400."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web
from pydantic import SecretStr

from bot.config import Platform
from bot.sandbox.models import SandboxUser
from bot.sandbox.user_side import inline_buttons
from bot.serving.webhook import build_webhook_app, webhook_path, webhook_secret
from tests.flows.harness import TOKENS, Sandbox


@pytest.fixture
async def webhook_url(sandbox: Sandbox, platform: Platform) -> AsyncIterator[str]:
    sandbox.app.settings = sandbox.settings.model_copy(
        update={"webhook_secret": SecretStr("s3cret-for-tests"),
                "webhook_base_url": "http://127.0.0.1"}
    )
    runner = web.AppRunner(build_webhook_app(sandbox.app), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}" + webhook_path(sandbox.app.settings,
                                                                        platform)
    bot = sandbox.app.bots[platform]
    await bot.set_webhook(url, secret_token=webhook_secret(sandbox.app.settings, platform))
    try:
        yield url
    finally:
        await bot.delete_webhook()
        await runner.cleanup()


async def test_update_that_failed_is_handled_on_redelivery(
    sandbox: Sandbox, platform: Platform, webhook_url: str
) -> None:
    token = TOKENS[platform]
    user = SandboxUser(id=70_101, first_name="Sara", language_code="en")
    # The first answer fails in a way no error handler takes: the webhook answers 500.
    sandbox.api.fail_next(token, "sendMessage", status=400, description="Bad Request: injected")
    sandbox.api.user_sends(token, user, text="/start")
    assert await sandbox.api.deliver_via_webhook(token) == 1

    replies = [m for m in sandbox.api.messages(token, user.id) if m.outgoing]
    assert len(replies) == 1, [m.text for m in replies]
    assert "✅ I agree" in [text for text, _ in inline_buttons(replies[0])]
    webhook_posts = [m for m, _ in sandbox.api.calls(token) if m == "sendMessage"]
    assert len(webhook_posts) == 2  # the failed try and the one after redelivery


@pytest.mark.parametrize("body", ["{not json", "[]", '{"message": {}}', '"text"'])
async def test_body_that_is_not_an_update_gets_400(
    sandbox: Sandbox, platform: Platform, webhook_url: str, body: str
) -> None:
    headers = {"X-Telegram-Bot-Api-Secret-Token": webhook_secret(sandbox.app.settings, platform),
               "Content-Type": "application/json"}
    async with aiohttp.ClientSession() as client:
        async with client.post(webhook_url, data=body, headers=headers) as resp:
            assert resp.status == 400
        headers["X-Telegram-Bot-Api-Secret-Token"] = "wrong"
        async with client.post(webhook_url, data=body, headers=headers) as resp:
            assert resp.status == 401
