"""The emulator driven by a real aiogram Bot, over HTTP and in-process (the `make_bot` fixture)."""

from __future__ import annotations

import asyncio

import pytest
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramRetryAfter,
)
from aiogram.methods import SendMessage
from aiogram.types import (
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    ReplyParameters,
)

from bot.sandbox.core import SandboxBotAPI
from bot.sandbox.user_side import DEMO_USER, inline_buttons, reply_buttons
from tests.sandbox.conftest import PNG_1X1, TG_TOKEN, BotFactory

USER = DEMO_USER.id


def _inline(data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="دکمه", callback_data=data)]]
    )


async def test_send_edit_delete_round_trip(api: SandboxBotAPI, make_bot: BotFactory) -> None:
    bot = await make_bot()
    sent = await bot.send_message(USER, "سلام", reply_markup=_inline("menu:1"))
    assert sent.text == "سلام"
    assert sent.chat.id == USER
    assert sent.reply_markup is not None

    edited = await bot.edit_message_text(
        text="سلام دوباره", chat_id=USER, message_id=sent.message_id, reply_markup=_inline("m:2")
    )
    assert not isinstance(edited, bool)
    assert edited.text == "سلام دوباره"
    stored = api.last_message(TG_TOKEN, USER)
    assert stored is not None
    assert stored.text == "سلام دوباره"
    assert stored.edit_count == 1
    assert inline_buttons(stored) == [("دکمه", "m:2")]

    assert await bot.delete_message(USER, sent.message_id) is True
    assert api.messages(TG_TOKEN, USER)[-1].deleted
    assert api.last_message(TG_TOKEN, USER) is None
    with pytest.raises(TelegramBadRequest, match="message to delete not found"):
        await bot.delete_message(USER, sent.message_id)


async def test_validation_errors_match_telegram(make_bot: BotFactory) -> None:
    bot = await make_bot()
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await bot.send_message(USER, "x" * 4097)
    with pytest.raises(TelegramBadRequest, match="message text is empty"):
        await bot.send_message(USER, "   ")
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(USER, "a", reply_markup=_inline("x" * 65))
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.send_message(424242, "a")
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_text(text="b", chat_id=USER, message_id=999)
    with pytest.raises(TelegramBadRequest, match="can't parse entities"):
        await bot.send_message(USER, "نام: <علی>", parse_mode="HTML")
    sent = await bot.send_message(USER, "<b>پررنگ</b>", parse_mode="HTML")
    assert sent.text == "پررنگ"
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text(text="پررنگ", chat_id=USER, message_id=sent.message_id)


async def test_message_ids_increase_per_chat_and_replies(
    api: SandboxBotAPI, make_bot: BotFactory
) -> None:
    bot = await make_bot()
    incoming = api.user_sends(TG_TOKEN, DEMO_USER, text="سوال دارم")
    answer = await bot.send_message(
        USER, "بفرمایید", reply_parameters=ReplyParameters(message_id=incoming["message_id"])
    )
    assert answer.message_id == incoming["message_id"] + 1
    assert answer.reply_to_message is not None
    assert answer.reply_to_message.text == "سوال دارم"
    with pytest.raises(TelegramBadRequest, match="message to be replied not found"):
        await bot.send_message(USER, "x", reply_parameters=ReplyParameters(message_id=500))


async def test_reply_keyboard_is_tracked_until_removed(
    api: SandboxBotAPI, make_bot: BotFactory
) -> None:
    bot = await make_bot()
    keyboard = ReplyKeyboardMarkup(
        keyboard=[[KeyboardButton(text="📱 ارسال شماره", request_contact=True)]],
        resize_keyboard=True,
    )
    sent = await bot.send_message(USER, "شماره‌تان را بفرستید", reply_markup=keyboard)
    assert sent.reply_markup is None  # a Message only ever shows inline keyboards
    current = api.current_reply_keyboard(TG_TOKEN, USER)
    assert reply_buttons(current) == ["📱 ارسال شماره"]
    await bot.send_message(USER, "ممنون", reply_markup=ReplyKeyboardRemove())
    assert api.current_reply_keyboard(TG_TOKEN, USER) is None


async def test_get_updates_long_poll_wakes_on_user_message(
    api: SandboxBotAPI, make_bot: BotFactory
) -> None:
    bot = await make_bot()
    loop = asyncio.get_running_loop()
    loop.call_later(0.2, lambda: api.user_sends(TG_TOKEN, DEMO_USER, text="/start"))
    started = loop.time()
    updates = await bot.get_updates(timeout=10)
    assert loop.time() - started < 5
    assert [u.message.text for u in updates if u.message] == ["/start"]
    # Asking with offset = last id + 1 confirms the update, so it is not delivered again.
    assert await bot.get_updates(offset=updates[-1].update_id + 1, timeout=0) == []
    assert api.pending_updates(TG_TOKEN) == []


async def test_photo_upload_get_file_and_download(api: SandboxBotAPI, make_bot: BotFactory) -> None:
    bot = await make_bot()
    sent = await bot.send_photo(USER, BufferedInputFile(PNG_1X1, "p.png"), caption="رسید")
    assert sent.photo is not None
    assert sent.caption == "رسید"
    biggest = sent.photo[-1]
    assert (biggest.width, biggest.height, biggest.file_size) == (1, 1, len(PNG_1X1))
    file = await bot.get_file(biggest.file_id)
    assert file.file_path
    downloaded = await bot.download_file(file.file_path)
    assert downloaded is not None
    assert downloaded.read() == PNG_1X1
    again = await bot.send_photo(USER, biggest.file_id)  # reuse by file_id, no upload
    assert again.photo is not None
    assert again.photo[-1].file_id == biggest.file_id
    with pytest.raises(TelegramBadRequest, match="IMAGE_PROCESS_FAILED"):
        await bot.send_photo(USER, BufferedInputFile(b"not an image", "x.png"))


async def test_document_upload_keeps_name_and_bytes(make_bot: BotFactory) -> None:
    bot = await make_bot()
    content = "کارت ملی".encode() * 100
    sent = await bot.send_document(USER, BufferedInputFile(content, "مدرک.pdf"))
    assert sent.document is not None
    assert sent.document.file_name == "مدرک.pdf"
    assert sent.document.file_size == len(content)
    file = await bot.get_file(sent.document.file_id)
    assert file.file_path
    downloaded = await bot.download_file(file.file_path)
    assert downloaded is not None
    assert downloaded.read() == content


async def test_injected_429_and_blocked_user(api: SandboxBotAPI, make_bot: BotFactory) -> None:
    bot = await make_bot()
    api.fail_next(TG_TOKEN, "sendMessage", retry_after=7)
    with pytest.raises(TelegramRetryAfter) as retry:
        await bot.send_message(USER, "a")
    assert retry.value.retry_after == 7
    assert (await bot.send_message(USER, "a")).text == "a"  # one-shot by default

    api.fail_next(TG_TOKEN, "sendMessage", status=502, times=2)
    for _ in range(2):
        with pytest.raises(Exception, match="Bad Gateway"):
            await bot(SendMessage(chat_id=USER, text="b"))
    assert (await bot.send_message(USER, "b")).text == "b"

    api.block(TG_TOKEN, USER)
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await bot.send_message(USER, "a")
    api.unblock(TG_TOKEN, USER)
    assert (await bot.send_message(USER, "c")).text == "c"


async def test_copy_and_forward_into_staff_group(api: SandboxBotAPI, make_bot: BotFactory) -> None:
    bot = await make_bot()
    question = api.user_sends(TG_TOKEN, DEMO_USER, text="کمک می‌خواهم")
    copied = await bot.copy_message(-100500, USER, question["message_id"])
    forwarded = await bot.forward_message(-100500, USER, question["message_id"])
    group = api.messages(TG_TOKEN, -100500)
    assert [m.message_id for m in group] == [copied.message_id, forwarded.message_id]
    assert all(m.text == "کمک می‌خواهم" for m in group)
    assert forwarded.forward_origin is not None
    with pytest.raises(TelegramBadRequest, match="message to copy not found"):
        await bot.copy_message(-100500, USER, 9999)


async def test_commands_chat_and_members(api: SandboxBotAPI, make_bot: BotFactory) -> None:
    from aiogram.types import BotCommand

    bot = await make_bot()
    assert await bot.set_my_commands([BotCommand(command="start", description="شروع")])
    assert [c.command for c in await bot.get_my_commands()] == ["start"]
    with pytest.raises(TelegramBadRequest, match="BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand(command="Bad Command", description="x")])
    chat = await bot.get_chat(-100500)
    assert chat.type == "supergroup"
    api.user_sends(TG_TOKEN, DEMO_USER, text="hi", chat_id=-100500)
    member = await bot.get_chat_member(-100500, USER)
    assert member.status == "member"
    api.set_member(TG_TOKEN, -100500, USER, "left")
    assert (await bot.get_chat_member(-100500, USER)).status == "left"
    assert await bot.send_chat_action(USER, "typing")
    assert api.chat(TG_TOKEN, USER).actions == ["typing"]
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.get_chat(555)
