"""What the web chat page is told: toasts belong to one pane and one page load; a one-time
keyboard goes away once used."""

from __future__ import annotations

from typing import Any

import aiohttp

from bot.sandbox.core import SandboxBotAPI
from bot.sandbox.server import SandboxServer
from bot.sandbox.user_side import DEMO_USER, STAFF_USER
from tests.sandbox.conftest import STAFF_GROUP, TG_TOKEN


async def _message_with_button(api: SandboxBotAPI, chat_id: int, data: str) -> int:
    markup = {"inline_keyboard": [[{"text": "تایید", "callback_data": data}]]}
    status, body = await api.call(
        TG_TOKEN, "sendMessage", {"chat_id": chat_id, "text": "؟", "reply_markup": markup}
    )
    assert status == 200
    message_id: int = body["result"]["message_id"]
    return message_id


async def _press_and_answer(
    api: SandboxBotAPI, user: Any, chat_id: int | None, message_id: int, data: str, text: str
) -> None:
    update = api.user_presses(TG_TOKEN, user, message_id, data, chat_id)
    query_id = update["callback_query"]["id"]
    status, _ = await api.call(
        TG_TOKEN, "answerCallbackQuery", {"callback_query_id": query_id, "text": text}
    )
    assert status == 200


async def test_toasts_name_their_pane_and_a_fresh_page_gets_none(
    api: SandboxBotAPI, server: SandboxServer
) -> None:
    bot_id = api.bot(TG_TOKEN).bot_id
    private_button = await _message_with_button(api, DEMO_USER.id, "p")
    staff_button = await _message_with_button(api, STAFF_GROUP, "s")
    async with aiohttp.ClientSession(base_url=server.base_url) as http:
        async with http.get(f"/ui/api/poll?bot={bot_id}&since=0") as response:
            loaded = await response.json()
        await _press_and_answer(api, DEMO_USER, None, private_button, "p", "ذخیره شد")
        await _press_and_answer(api, STAFF_USER, STAFF_GROUP, staff_button, "s", "پذیرفته شد")

        async with http.get(f"/ui/api/poll?bot={bot_id}&since={loaded['version']}") as response:
            assert (await response.json())["toasts"] == [
                {"chat": "private", "text": "ذخیره شد"},
                {"chat": "staff", "text": "پذیرفته شد"},
            ]
        # The same page reloaded: the answers above belong to presses of the old page.
        async with http.get(f"/ui/api/poll?bot={bot_id}&since=0") as response:
            reloaded = await response.json()
        assert reloaded["toasts"] == []
        assert len(reloaded["messages"]) == 2


async def test_sharing_the_phone_hides_a_one_time_keyboard(api: SandboxBotAPI) -> None:
    keyboard = {
        "keyboard": [[{"text": "ارسال شماره من", "request_contact": True}]],
        "one_time_keyboard": True,
    }
    question = {"chat_id": DEMO_USER.id, "text": "شماره؟", "reply_markup": keyboard}
    status, _ = await api.call(TG_TOKEN, "sendMessage", question)
    assert status == 200
    assert api.current_reply_keyboard(TG_TOKEN, DEMO_USER.id) == keyboard

    api.user_shares_contact(TG_TOKEN, DEMO_USER, "+989121234567")

    assert api.current_reply_keyboard(TG_TOKEN, DEMO_USER.id) is None


async def test_a_contact_from_the_address_book_leaves_the_keyboard(api: SandboxBotAPI) -> None:
    keyboard = {"keyboard": [[{"text": "منوی اصلی"}]], "one_time_keyboard": True}
    await api.call(
        TG_TOKEN, "sendMessage", {"chat_id": DEMO_USER.id, "text": "؟", "reply_markup": keyboard}
    )
    api.user_shares_contact(TG_TOKEN, DEMO_USER, "09123333333", from_address_book=True)
    assert api.current_reply_keyboard(TG_TOKEN, DEMO_USER.id) == keyboard


async def test_a_forum_staff_group_shows_topics_and_takes_posts_into_one(
    api: SandboxBotAPI, server: SandboxServer
) -> None:
    bot_id = api.bot(TG_TOKEN).bot_id
    async with aiohttp.ClientSession(base_url=server.base_url) as http:
        async with http.get(f"/ui/api/poll?bot={bot_id}&since=0") as response:
            plain = await response.json()
        assert plain["forum"] is False and plain["topics"] == []

        api.set_forum(TG_TOKEN, STAFF_GROUP)
        status, body = await api.call(
            TG_TOKEN, "createForumTopic", {"chat_id": STAFF_GROUP, "name": "پرونده ۳"}
        )
        assert status == 200
        thread = body["result"]["message_thread_id"]
        send = {"bot": bot_id, "chat": "staff", "text": "پاسخ در تاپیک", "thread": thread}
        async with http.post("/ui/api/send", json=send) as response:
            assert response.status == 200
        async with http.post("/ui/api/send", json={**send, "thread": 999}) as response:
            assert response.status == 400
        async with http.get(f"/ui/api/poll?bot={bot_id}&since=0") as response:
            forum = await response.json()
    assert forum["forum"] is True
    assert forum["topics"] == [{"id": thread, "name": "پرونده ۳", "closed": False}]
    by_text = {m["text"]: m for m in forum["messages"] if m["chat"] == "staff"}
    assert by_text["پاسخ در تاپیک"]["thread"] == thread
    assert [m["topic_created"] for m in forum["messages"] if m["topic_created"]] == ["پرونده ۳"]
    assert [m.text for m in api.topic_log(TG_TOKEN, STAFF_GROUP, thread)] == ["پاسخ در تاپیک"]
