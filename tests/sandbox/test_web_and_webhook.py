"""The web chat's JSON API, raw HTTP encodings, and webhook delivery."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp
from aiohttp import web

from bot.sandbox.core import SandboxBotAPI
from bot.sandbox.server import SandboxServer
from bot.sandbox.user_side import DEMO_USER, STAFF_USER
from bot.sandbox.webhook import SECRET_HEADER
from tests.sandbox.conftest import PNG_1X1, STAFF_GROUP, TG_TOKEN

USER = DEMO_USER.id


async def test_raw_encodings_and_unknown_method(api: SandboxBotAPI, server: SandboxServer) -> None:
    base = f"{server.base_url}/bot{TG_TOKEN}"
    markup = json.dumps({"inline_keyboard": [[{"text": "a", "callback_data": "x"}]]})
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{base}/sendMessage", data={"chat_id": USER, "text": "فرم"}) as r:
            assert r.status == 200
            assert (await r.json())["result"]["text"] == "فرم"
        body = {"chat_id": USER, "text": "جیسون", "reply_markup": markup}
        async with http.post(f"{base}/SENDMESSAGE", json=body) as r:
            result = (await r.json())["result"]
            assert result["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "x"
        async with http.get(f"{base}/getMe") as r:
            assert (await r.json())["result"]["is_bot"] is True
        async with http.post(f"{base}/sendPoll", data={"chat_id": USER}) as r:
            assert r.status == 404
            assert await r.json() == {
                "ok": False,
                "error_code": 404,
                "description": "Not Found: method not found",
            }
        async with http.post(f"{server.base_url}/bot9:nope/getMe") as r:
            assert r.status == 401
    assert [name for name, _ in api.calls(TG_TOKEN)][:2] == ["sendMessage", "sendMessage"]


async def test_web_chat_api(api: SandboxBotAPI, server: SandboxServer) -> None:
    tg_id = api.bot(TG_TOKEN).bot_id
    async with aiohttp.ClientSession(base_url=server.base_url) as http:
        async with http.get("/") as r:
            assert 'data-testid="composer-input"' in await r.text()
        async with http.get("/static/app.js") as r:
            assert "share-contact" in await r.text()
        async with http.get("/ui/api/bots") as r:
            bots = (await r.json())["bots"]
        assert {b["flavour"] for b in bots} == {"telegram", "bale"}

        await http.post("/ui/api/send", json={"bot": tg_id, "chat": "private", "text": "سلام"})
        await http.post("/ui/api/send", json={"bot": tg_id, "chat": "staff", "text": "در خدمتم"})
        form = aiohttp.FormData()
        form.add_field("bot", str(tg_id))
        form.add_field("chat", "private")
        form.add_field("kind", "photo")
        form.add_field("file", PNG_1X1, filename="p.png", content_type="image/png")
        async with http.post("/ui/api/upload", data=form) as r:
            assert r.status == 200

        status, _ = await api.call(
            TG_TOKEN,
            "sendMessage",
            {
                "chat_id": USER,
                "text": "شماره؟",
                "reply_markup": {"keyboard": [[{"text": "ارسال", "request_contact": True}]]},
            },
        )
        assert status == 200
        async with http.get(f"/ui/api/poll?bot={tg_id}&since=0") as r:
            poll = await r.json()
        texts = [(m["chat"], m["text"]) for m in poll["messages"]]
        assert ("private", "سلام") in texts
        assert ("staff", "در خدمتم") in texts
        assert any(m["photo"] for m in poll["messages"])
        assert poll["reply_keyboard"]["keyboard"][0][0]["request_contact"] is True

        async with http.post("/ui/api/contact", json={"bot": tg_id}) as r:
            assert r.status == 200
        async with http.get(f"/ui/api/poll?bot={tg_id}&since={poll['version']}") as r:
            newer = (await r.json())["messages"]
        assert [m["contact"] for m in newer] == ["+989121234567"]

    updates = [u["message"] for u in api.pending_updates(TG_TOKEN)]
    assert updates[1]["from"]["id"] == STAFF_USER.id
    assert updates[1]["chat"]["id"] == STAFF_GROUP
    assert updates[-1]["contact"]["user_id"] == USER


async def test_webhook_delivery_with_secret_and_409(api: SandboxBotAPI) -> None:
    received: list[tuple[str | None, dict[str, Any]]] = []

    async def hook(request: web.Request) -> web.Response:
        received.append((request.headers.get(SECRET_HEADER), await request.json()))
        if len(received) == 1:
            return web.Response(status=500)  # Telegram retries until the endpoint answers 2xx
        return web.json_response({"method": "sendMessage", "chat_id": USER, "text": "پاسخ"})

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        status, _ = await api.call(
            TG_TOKEN, "setWebhook", {"url": f"http://127.0.0.1:{port}/hook", "secret_token": "s3"}
        )
        assert status == 200
        status, body = await api.call(TG_TOKEN, "getUpdates", {})
        assert status == 409
        assert body["description"].startswith("Conflict:")
        api.user_sends(TG_TOKEN, DEMO_USER, text="از وب‌هوک")
        assert await api.deliver_via_webhook(TG_TOKEN) == 1
        assert received[-1][0] == "s3"
        assert received[-1][1]["message"]["text"] == "از وب‌هوک"
        assert len(received) == 2
        last = api.last_message(TG_TOKEN, USER)
        assert last is not None
        assert last.text == "پاسخ"  # the webhook's answer was executed as a method call
        await api.call(TG_TOKEN, "deleteWebhook", {})
        status, _ = await api.call(TG_TOKEN, "getUpdates", {})
        assert status == 200
    finally:
        await runner.cleanup()


async def test_long_poll_in_web_api_returns_on_change(
    api: SandboxBotAPI, server: SandboxServer
) -> None:
    tg_id = api.bot(TG_TOKEN).bot_id
    version = api.bot(TG_TOKEN).version
    loop = asyncio.get_running_loop()
    loop.call_later(0.2, lambda: api.user_sends(TG_TOKEN, DEMO_USER, text="بیدار"))
    started = loop.time()
    async with aiohttp.ClientSession(base_url=server.base_url) as http:
        async with http.get(f"/ui/api/poll?bot={tg_id}&since={version}&wait=10") as r:
            messages = (await r.json())["messages"]
    assert loop.time() - started < 5
    assert [m["text"] for m in messages] == ["بیدار"]
