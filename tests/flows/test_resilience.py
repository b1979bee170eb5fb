"""Floods, people who blocked the bot, and the messenger's 429."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator

import pytest

from tests.flows.harness import TOKENS, Sandbox
from tests.flows.steps import account_row, draft_of, english, register


@pytest.fixture
async def strict_sandbox(database_url: str, database_kind: str) -> AsyncIterator[Sandbox]:
    redis_url = os.environ.get("TEST_REDIS_URL") if database_kind == "postgresql" else None
    box = await Sandbox.start(
        database_url, redis_url, throttle_rate=5, throttle_window_seconds=0.5
    )
    try:
        yield box
    finally:
        await box.close()


def _calls_to(sandbox: Sandbox, platform: str, chat_id: int) -> int:
    return sum(
        1 for method, params in sandbox.api.calls(TOKENS[platform])  # type: ignore[index]
        if method != "getUpdates" and str(params.get("chat_id")) == str(chat_id)
    )


async def test_flood_gets_one_notice_then_the_person_goes_on(
    strict_sandbox: Sandbox, platform: str
) -> None:
    person = english(strict_sandbox, platform)
    await person.send("/start")
    await asyncio.sleep(0.5)
    for index in range(20):
        person.api.user_sends(person.token, person.user, text=f"hello {index}")
    await strict_sandbox.pump(person.platform)  # type: ignore[arg-type]
    notices = [m for m in person.messages() if "very fast" in (m.text or "")]
    assert len(notices) == 1

    await asyncio.sleep(0.5)
    await person.send("/help")
    assert "/profile" in (person.last().text or ""), person.screen()


async def test_blocked_person_is_recorded_and_not_retried(
    sandbox: Sandbox, platform: str
) -> None:
    person = english(sandbox, platform)
    await register(person, until="full_name")
    assert (await account_row(person)).blocked_at is None
    # The person writes, then blocks the bot before it answers.
    person.api.user_sends(person.token, person.user, text="Maryam Ahmadi")
    person.api.block(person.token, person.user.id)
    sends_before = _calls_to(sandbox, platform, person.user.id)
    await sandbox.pump(person.platform)  # type: ignore[arg-type]

    assert (await account_row(person)).blocked_at is not None
    # One attempt to show the next question, and no retry after the 403.
    assert _calls_to(sandbox, platform, person.user.id) - sends_before == 1
    # Writing again lifts the block; the answer given before blocking was kept.
    assert (await draft_of(person)).full_name == "Maryam Ahmadi"
    await person.send("/start")
    assert (await account_row(person)).blocked_at is None
    assert "national code" in (person.last().text or ""), person.screen()


async def test_429_is_waited_out(sandbox: Sandbox, platform: str) -> None:
    person = english(sandbox, platform)
    await person.send("/help")
    sandbox.api.fail_next(person.token, "sendMessage", status=429, retry_after=1)
    loop = asyncio.get_running_loop()
    started = loop.time()
    replies = await person.send("/help")
    assert loop.time() - started >= 0.9
    assert any("/profile" in (m.text or "") for m in replies), person.screen()
