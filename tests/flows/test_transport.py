"""The two ways updates arrive: the long-polling loop and webhooks, both over real HTTP."""

from __future__ import annotations

import asyncio
import json

import aiohttp
from aiohttp import web
from pydantic import SecretStr

from bot.config import Platform
from bot.sandbox.models import SandboxUser
from bot.sandbox.user_side import inline_buttons
from bot.serving.webhook import build_webhook_app, webhook_path, webhook_secret
from tests.flows.harness import TOKENS, Sandbox


async def test_polling_loop_serves_both_messengers(sandbox: Sandbox) -> None:
    dispatcher = sandbox.app.dispatcher
    polling = asyncio.create_task(
        dispatcher.start_polling(
            *sandbox.app.bots.values(), polling_timeout=1, handle_signals=False,
            close_bot_session=False,
        )
    )
    try:
        for platform in ("telegram", "bale"):
            user = SandboxUser(id=70_001, first_name="Ali", language_code="en")
            token = TOKENS[platform]  # type: ignore[index]
            before = sandbox.api.activity_count(token, user.id)
            sandbox.api.user_sends(token, user, text="/start")
            reply = await sandbox.api.wait_for_bot_message(token, user.id, after_count=before,
                                                           timeout=10)
            labels = [text for text, _ in inline_buttons(reply)]
            assert "✅ I agree" in labels, labels
    finally:
        await dispatcher.stop_polling()
        await polling


async def _serve_webhooks(sandbox: Sandbox) -> tuple[web.AppRunner, str]:
    settings = sandbox.settings.model_copy(
        update={"webhook_secret": SecretStr("s3cret-for-tests"),
                "webhook_base_url": "http://127.0.0.1"}
    )
    sandbox.app.settings = settings
    runner = web.AppRunner(build_webhook_app(sandbox.app), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    return runner, f"http://127.0.0.1:{port}"


async def test_webhook_mode_answers_after_handling_and_drops_repeats(
    sandbox: Sandbox, platform: Platform
) -> None:
    runner, base = await _serve_webhooks(sandbox)
    settings = sandbox.app.settings
    bot = sandbox.app.bots[platform]
    token = TOKENS[platform]
    try:
        await bot.set_webhook(base + webhook_path(settings, platform),
                              secret_token=webhook_secret(settings, platform))
        user = SandboxUser(id=70_002, first_name="Sara", language_code="en")
        update = sandbox.api.user_sends(token, user, text="/start")
        assert await sandbox.api.deliver_via_webhook(token) == 1
        # The webhook answered only after handling, so the reply is already in the chat.
        replies = [m for m in sandbox.api.messages(token, user.id) if m.outgoing]
        assert len(replies) == 1
        assert "✅ I agree" in [text for text, _ in inline_buttons(replies[0])]

        # The same update delivered again (a retry) is dropped: no second reply.
        update_body = {"update_id": sandbox.api.bot(token).next_update_id - 1,
                       "message": update}
        headers = {"X-Telegram-Bot-Api-Secret-Token": webhook_secret(settings, platform),
                   "Content-Type": "application/json"}
        async with aiohttp.ClientSession() as client:
            url = base + webhook_path(settings, platform)
            async with client.post(url, data=json.dumps(update_body), headers=headers) as resp:
                assert resp.status == 200
            assert len([m for m in sandbox.api.messages(token, user.id) if m.outgoing]) == 1

            # A request without the right secret is refused and handled by nobody.
            headers["X-Telegram-Bot-Api-Secret-Token"] = "wrong"
            update_body["update_id"] += 1000
            async with client.post(url, data=json.dumps(update_body), headers=headers) as resp:
                assert resp.status == 401
            async with client.get(base + "/healthz") as resp:
                assert resp.status == 200
                assert (await resp.json()) == {"status": "ok"}
        assert len([m for m in sandbox.api.messages(token, user.id) if m.outgoing]) == 1
    finally:
        await bot.delete_webhook()
        await runner.cleanup()


def test_each_messenger_gets_its_own_webhook_secret(sandbox: Sandbox) -> None:
    settings = sandbox.settings.model_copy(
        update={"webhook_secret": SecretStr("one-operator-secret")}
    )
    secrets = {webhook_secret(settings, p) for p in ("telegram", "bale")}
    assert len(secrets) == 2
    assert all(len(s) <= 256 and s.isalnum() for s in secrets)
