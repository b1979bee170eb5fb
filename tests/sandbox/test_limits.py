"""The sandbox's flood-limit mode: Telegram's 429 body, the bot's rate, one chat's interval,
random 429s, and the counters a benchmark reads (also over HTTP, from a separate process)."""

from __future__ import annotations

import asyncio
import sys
import time

import aiohttp

from bot.sandbox.core import SandboxBotAPI
from bot.sandbox.models import SandboxUser
from tests.sandbox.conftest import BALE_TOKEN, TG_TOKEN


def open_chats(api: SandboxBotAPI, count: int, token: str = TG_TOKEN) -> list[int]:
    ids = list(range(5000, 5000 + count))
    for user_id in ids:
        api.add_user(token, SandboxUser(id=user_id, first_name="u"))
    return ids


async def send(api: SandboxBotAPI, chat_id: int, token: str = TG_TOKEN) -> tuple[int, dict]:
    return await api.call(token, "sendMessage", {"chat_id": chat_id, "text": "hi"})


async def test_the_bots_rate_is_a_token_bucket_answered_like_telegram(
    api: SandboxBotAPI,
) -> None:
    chats = open_chats(api, 10)
    api.enforce_limits(TG_TOKEN, per_second=10, per_chat_interval=0, burst=3)
    answers = [await send(api, chat) for chat in chats[:4]]
    assert [status for status, _ in answers] == [200, 200, 200, 429]
    assert answers[3][1] == {
        "ok": False, "error_code": 429, "description": "Too Many Requests: retry after 1",
        "parameters": {"retry_after": 1},
    }
    await asyncio.sleep(0.11)  # one token back
    assert (await send(api, chats[4]))[0] == 200
    assert (await send(api, chats[5]))[0] == 429
    limiter = api.limits(TG_TOKEN)
    assert limiter.too_many == 2
    assert dict(limiter.delivered) == {chat: 1 for chat in [*chats[:3], chats[4]]}
    # Edits count against the rate too; the other bot is not limited.
    status, _ = await api.call(TG_TOKEN, "editMessageText",
                               {"chat_id": chats[0], "message_id": 1, "text": "x"})
    assert status == 429
    open_chats(api, 5, BALE_TOKEN)
    assert all([(await send(api, 5000 + i, BALE_TOKEN))[0] == 200 for i in range(5)])


async def test_one_chat_gets_one_message_per_interval(api: SandboxBotAPI) -> None:
    first, second = open_chats(api, 2)
    api.enforce_limits(per_second=None, per_chat_interval=0.2, retry_after=3)
    assert (await send(api, first))[0] == 200
    status, body = await send(api, first)
    assert status == 429 and body["parameters"] == {"retry_after": 3}
    assert (await send(api, second))[0] == 200  # another chat is free
    await asyncio.sleep(0.2)
    assert (await send(api, first))[0] == 200
    limiter = api.limits(TG_TOKEN)
    assert limiter.delivered[first] == 2 and limiter.duplicates() == {first: 2}
    gap = limiter.times[first][1] - limiter.times[first][0]
    assert gap >= 0.2


async def test_random_429s_are_seeded(api: SandboxBotAPI) -> None:
    chats = open_chats(api, 200)

    async def refused() -> list[int]:
        api.enforce_limits(TG_TOKEN, per_second=None, per_chat_interval=0, random_429=0.2,
                           seed=7)
        return [chat for chat in chats if (await send(api, chat))[0] == 429]

    once, again = await refused(), await refused()
    assert once == again
    assert 20 <= len(once) <= 60
    assert api.limits(TG_TOKEN).too_many == len(once)
    # Reading calls are never limited.
    assert (await api.call(TG_TOKEN, "getMe", {}))[0] == 200
    api.stop_enforcing()
    assert all([(await send(api, chat))[0] == 200 for chat in once])


async def test_the_server_runs_alone_with_limits_from_the_command_line(
    unused_tcp_port: int,
) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.sandbox.server", "--port", str(unused_tcp_port),
        "--tokens", "1:a,2:b", "--users", "3", "--rate", "100", "--chat-interval", "1",
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        line = await asyncio.wait_for(process.stdout.readline(), 10)
        base = f"http://127.0.0.1:{unused_tcp_port}"
        assert base in line.decode()
        async with aiohttp.ClientSession() as http:
            statuses = []
            for chat in (1, 2, 3, 3):
                async with http.post(f"{base}/bot1:a/sendMessage",
                                     json={"chat_id": chat, "text": "hi"}) as answer:
                    statuses.append(answer.status)
            async with http.get(f"{base}/sandbox/limits") as answer:
                counters = await answer.json()
        assert statuses == [200, 200, 200, 429]
        assert counters["1:a"]["delivered"] == 3 and counters["1:a"]["too_many"] == 1
        assert counters["2:b"]["delivered"] == 0
    finally:
        started = time.monotonic()
        process.terminate()
        await process.wait()
        assert time.monotonic() - started < 5
