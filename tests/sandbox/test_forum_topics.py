"""Forum topics and voice messages in the sandbox: Telegram has them, Bale has no topics."""

from __future__ import annotations

import pytest
from aiogram.exceptions import TelegramBadRequest, TelegramNotFound
from aiogram.types import BufferedInputFile

from bot.sandbox.core import SandboxBotAPI
from bot.sandbox.models import ApiError
from bot.sandbox.user_side import DEMO_USER, STAFF_USER
from tests.sandbox.conftest import BALE_TOKEN, STAFF_GROUP, TG_TOKEN, BotFactory

FORUM = -100777


@pytest.fixture
def forum(api: SandboxBotAPI) -> int:
    api.create_group(TG_TOKEN, FORUM, "کارشناسان استان‌ها", forum=True)
    return FORUM


async def test_bot_opens_a_topic_and_posts_into_it(
    make_bot: BotFactory, api: SandboxBotAPI, forum: int
) -> None:
    bot = await make_bot(TG_TOKEN)
    topic = await bot.create_forum_topic(forum, "پرونده ۱۲ — تهران")
    assert topic.name == "پرونده ۱۲ — تهران" and topic.icon_color == 0x6FB9F0
    chat = await bot.get_chat(forum)
    assert chat.is_forum is True

    sent = await bot.send_message(forum, "پیام مددجو", message_thread_id=topic.message_thread_id)
    assert sent.message_thread_id == topic.message_thread_id and sent.is_topic_message
    plain = await bot.send_message(forum, "در «عمومی»")
    assert plain.message_thread_id is None

    # A caseworker answers inside the topic; the bot's update says which topic.
    update = api.user_sends(
        TG_TOKEN, STAFF_USER, text="پاسخ", chat_id=forum,
        message_thread_id=topic.message_thread_id,
    )
    assert update["message_thread_id"] == topic.message_thread_id
    assert update["is_topic_message"] is True
    # A reply to a topic message lands in that topic without naming it.
    reply = api.user_sends(
        TG_TOKEN, STAFF_USER, text="دنباله", chat_id=forum, reply_to_message_id=sent.message_id
    )
    assert reply["message_thread_id"] == topic.message_thread_id

    log = api.topic_log(TG_TOKEN, forum, topic.message_thread_id)
    assert [m.text for m in log] == ["پیام مددجو", "پاسخ", "دنباله"]
    assert [t.name for t in api.topics(TG_TOKEN, forum)] == ["پرونده ۱۲ — تهران"]


async def test_topics_are_edited_closed_and_reopened(
    make_bot: BotFactory, api: SandboxBotAPI, forum: int
) -> None:
    bot = await make_bot(TG_TOKEN)
    topic = await bot.create_forum_topic(forum, "پرونده", icon_color=0xFB6F5F)
    thread = topic.message_thread_id
    assert await bot.edit_forum_topic(forum, thread, name="پرونده ۷")
    assert api.topics(TG_TOKEN, forum)[0].name == "پرونده ۷"

    assert await bot.close_forum_topic(forum, thread)
    with pytest.raises(TelegramBadRequest, match="TOPIC_CLOSED"):
        await bot.send_message(forum, "x", message_thread_id=thread)
    with pytest.raises(TelegramBadRequest, match="TOPIC_NOT_MODIFIED"):
        await bot.close_forum_topic(forum, thread)
    assert await bot.reopen_forum_topic(forum, thread)
    assert (await bot.send_message(forum, "x", message_thread_id=thread)).is_topic_message


async def test_topic_mistakes_are_refused(
    make_bot: BotFactory, api: SandboxBotAPI, forum: int
) -> None:
    bot = await make_bot(TG_TOKEN)
    with pytest.raises(TelegramBadRequest, match="not a forum"):
        await bot.create_forum_topic(STAFF_GROUP, "x")
    with pytest.raises(TelegramBadRequest, match="TOPIC_NAME_INVALID"):
        await bot.create_forum_topic(forum, "ن" * 129)
    with pytest.raises(TelegramBadRequest, match="thread not found"):
        await bot.send_message(forum, "x", message_thread_id=999)
    with pytest.raises(TelegramBadRequest, match="thread not found"):
        await bot.send_message(STAFF_GROUP, "x", message_thread_id=1)
    api.set_member(TG_TOKEN, forum, api.bot(TG_TOKEN).bot_id, "member")
    with pytest.raises(TelegramBadRequest, match="not enough rights"):
        await bot.create_forum_topic(forum, "x")
    with pytest.raises(ApiError, match="thread not found"):
        api.user_sends(TG_TOKEN, STAFF_USER, text="x", chat_id=forum, message_thread_id=999)


async def test_staff_group_can_be_made_a_forum(api: SandboxBotAPI) -> None:
    state = api.add_bot("333:forum", "telegram", staff_group_id=-100900, staff_group_forum=True)
    assert api.chat(state.token, -100900).is_forum
    assert not api.chat(TG_TOKEN, STAFF_GROUP).is_forum
    api.set_forum(TG_TOKEN, STAFF_GROUP)
    status, body = await api.call(TG_TOKEN, "getChat", {"chat_id": STAFF_GROUP})
    assert status == 200 and body["result"]["is_forum"] is True


async def test_bale_has_no_forum_topics(make_bot: BotFactory, api: SandboxBotAPI) -> None:
    api.create_group(BALE_TOKEN, FORUM, "forum", forum=True)
    bale = await make_bot(BALE_TOKEN)
    with pytest.raises(TelegramNotFound):
        await bale.create_forum_topic(FORUM, "x")
    with pytest.raises(TelegramNotFound):
        await bale.close_forum_topic(FORUM, 1)
    with pytest.raises(ValueError, match="no forum topics"):
        api.user_sends(BALE_TOKEN, STAFF_USER, text="x", chat_id=FORUM, message_thread_id=1)


@pytest.mark.parametrize("token", [TG_TOKEN, BALE_TOKEN])
async def test_send_voice_by_upload_and_by_file_id(
    make_bot: BotFactory, api: SandboxBotAPI, token: str
) -> None:
    bot = await make_bot(token)
    first = await bot.send_voice(
        DEMO_USER.id, BufferedInputFile(b"OggS-voice", "v.ogg"), caption="صدا", duration=4
    )
    assert first.voice is not None and first.voice.duration == 4 and first.caption == "صدا"
    again = await bot.send_voice(STAFF_GROUP, first.voice.file_id)
    assert again.voice is not None and again.voice.file_id == first.voice.file_id
    stored = api.file_by_path(token, (await bot.get_file(first.voice.file_id)).file_path or "")
    assert stored is not None and stored.content == b"OggS-voice"
    with pytest.raises(TelegramBadRequest, match="wrong file identifier"):
        await bot.send_voice(DEMO_USER.id, "no-such-file")
    # A voice message a user sends can be relayed by its id.
    heard = api.user_sends(token, DEMO_USER, voice=True)
    relayed = await bot.send_voice(STAFF_GROUP, heard["voice"]["file_id"])
    assert relayed.voice is not None and relayed.voice.file_id == heard["voice"]["file_id"]
