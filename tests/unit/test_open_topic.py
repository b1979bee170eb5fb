"""open_topic: a topic where the messenger and the chat have them, None elsewhere."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.config import Platform
from bot.platforms.bots import PlatformBot
from bot.platforms.topics import MAX_TOPIC_NAME, open_topic, topic_name
from bot.sandbox.core import SandboxBotAPI
from bot.sandbox.session import SandboxSession

TOKENS: dict[Platform, str] = {"telegram": "41:tg-topics", "bale": "42:bale-topics"}
FORUM, PLAIN = -100301, -100302


@pytest.fixture
async def api() -> AsyncIterator[SandboxBotAPI]:
    sandbox = SandboxBotAPI()
    for platform, token in TOKENS.items():
        sandbox.add_bot(token, platform)
        sandbox.create_group(token, FORUM, "forum", forum=True)
        sandbox.create_group(token, PLAIN, "plain")
    yield sandbox
    await sandbox.close()


def _bot(api: SandboxBotAPI, platform: Platform) -> PlatformBot:
    return PlatformBot(TOKENS[platform], platform, SandboxSession(api))


async def test_a_telegram_forum_gets_a_topic(api: SandboxBotAPI) -> None:
    bot = _bot(api, "telegram")
    thread = await open_topic(bot, FORUM, "پرونده ۱۲\nتهران")
    assert thread is not None
    (topic,) = api.topics(TOKENS["telegram"], FORUM)
    assert topic.message_thread_id == thread and topic.name == "پرونده ۱۲ تهران"
    sent = await bot.send_message(FORUM, "سلام", message_thread_id=thread)
    assert sent.message_thread_id == thread
    await bot.session.close()


async def test_no_topic_in_a_plain_group_on_bale_or_without_rights(api: SandboxBotAPI) -> None:
    telegram, bale = _bot(api, "telegram"), _bot(api, "bale")
    assert await open_topic(telegram, PLAIN, "پرونده") is None
    assert await open_topic(bale, FORUM, "پرونده") is None
    assert not [name for name, _ in api.calls(TOKENS["bale"]) if name == "createForumTopic"]
    api.set_member(TOKENS["telegram"], FORUM, api.bot(TOKENS["telegram"]).bot_id, "member")
    assert await open_topic(telegram, FORUM, "پرونده") is None
    assert api.topics(TOKENS["telegram"], FORUM) == []
    await telegram.session.close()


def test_long_names_are_cut_safely() -> None:
    assert topic_name("  کوتاه  ") == "کوتاه"
    long = "ثبت‌نام " * 40
    cut = topic_name(long)
    assert len(cut.encode("utf-16-le")) // 2 <= MAX_TOPIC_NAME and cut.endswith("…")
    assert not cut[:-1].endswith(("\u200c", " "))
    # Emoji count two units; a cut never splits one.
    emoji = topic_name("😀" * 100)
    assert emoji == "😀" * 63 + "…"
    # A direction isolate opened before the cut is closed after the ellipsis.
    isolated = topic_name("پرونده \u2068" + "HMN-1405-" * 20 + "\u2069")
    assert isolated.endswith("…\u2069") and len(isolated) <= MAX_TOPIC_NAME
    # A diacritic cut from its letter is dropped, not left on the ellipsis.
    marked = topic_name("ب" * 126 + "\u064e" + "ب" * 10)
    assert marked == "ب" * 126 + "…"
