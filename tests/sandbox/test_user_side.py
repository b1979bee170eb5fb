"""The person's side of the sandbox, and a real Dispatcher polling it end to end."""

from __future__ import annotations

import asyncio

import pytest
from aiogram import Dispatcher, F, Router
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.sandbox.core import SandboxBotAPI
from bot.sandbox.user_side import DEMO_USER, inline_buttons
from tests.sandbox.conftest import STAFF_GROUP, TG_TOKEN, BotFactory

USER = DEMO_USER.id


async def _bot_message_with_button(api: SandboxBotAPI, data: str) -> int:
    markup = {"inline_keyboard": [[{"text": "تایید", "callback_data": data}]]}
    status, body = await api.call(
        TG_TOKEN, "sendMessage", {"chat_id": USER, "text": "؟", "reply_markup": markup}
    )
    assert status == 200
    message_id: int = body["result"]["message_id"]
    return message_id


async def test_forged_callbacks_need_forge_flag(api: SandboxBotAPI) -> None:
    message_id = await _bot_message_with_button(api, "app:1:ok")
    with pytest.raises(ValueError, match="no button"):
        api.user_presses(TG_TOKEN, DEMO_USER, message_id, "app:2:ok")
    with pytest.raises(ValueError, match="not in chat"):
        api.user_presses(TG_TOKEN, DEMO_USER, 999, "app:1:ok")
    forged = api.user_presses(TG_TOKEN, DEMO_USER, message_id, "app:2:ok", forge=True)
    assert forged["callback_query"]["data"] == "app:2:ok"
    honest = api.user_presses(TG_TOKEN, DEMO_USER, message_id, "app:1:ok")
    assert honest["update_id"] == forged["update_id"] + 1
    query_id = honest["callback_query"]["id"]
    status, _ = await api.call(TG_TOKEN, "answerCallbackQuery", {"callback_query_id": query_id})
    assert status == 200
    status, body = await api.call(TG_TOKEN, "answerCallbackQuery", {"callback_query_id": query_id})
    assert status == 400
    assert "query is too old" in body["description"]


def test_contacts_groups_and_message_shapes(api: SandboxBotAPI) -> None:
    own = api.user_shares_contact(TG_TOKEN, DEMO_USER, "+989121111111")
    assert own["contact"]["user_id"] == USER
    other = api.user_shares_contact(TG_TOKEN, DEMO_USER, "09122222222", contact_user_id=77)
    assert other["contact"]["user_id"] == 77
    bare = api.user_shares_contact(TG_TOKEN, DEMO_USER, "09123333333", from_address_book=True)
    assert "user_id" not in bare["contact"]
    assert [own["message_id"], other["message_id"]] == [1, 2]

    in_group = api.user_sends(TG_TOKEN, DEMO_USER, text="سلام گروه", chat_id=STAFF_GROUP)
    assert in_group["chat"]["id"] == STAFF_GROUP
    assert in_group["chat"]["type"] == "supergroup"
    assert in_group["message_id"] == 1  # message ids count per chat
    command = api.user_sends(TG_TOKEN, DEMO_USER, text="/start ref42")
    assert command["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    doc = api.user_sends(TG_TOKEN, DEMO_USER, document=("a.pdf", b"%PDF", "application/pdf"))
    assert doc["document"]["mime_type"] == "application/pdf"
    assert api.user_sends(TG_TOKEN, DEMO_USER, sticker=True)["sticker"]["type"] == "regular"
    assert api.user_sends(TG_TOKEN, DEMO_USER, voice=True)["voice"]["duration"] == 3
    with pytest.raises(ValueError):
        api.user_sends(TG_TOKEN, DEMO_USER)
    with pytest.raises(ValueError, match="create_group"):
        api.user_sends(TG_TOKEN, DEMO_USER, text="x", chat_id=-42)


async def test_wait_for_bot_message_times_out_and_sees_edits(api: SandboxBotAPI) -> None:
    before = api.activity_count(TG_TOKEN, USER)
    with pytest.raises(TimeoutError):
        await api.wait_for_bot_message(TG_TOKEN, USER, after_count=before, timeout=0.05)
    message_id = await _bot_message_with_button(api, "x")
    after_send = api.activity_count(TG_TOKEN, USER)
    assert after_send == before + 1
    loop = asyncio.get_running_loop()
    edit = api.call(
        TG_TOKEN, "editMessageText", {"chat_id": USER, "message_id": message_id, "text": "!"}
    )
    loop.call_later(0.05, lambda: asyncio.ensure_future(edit))
    edited = await api.wait_for_bot_message(TG_TOKEN, USER, after_count=after_send, timeout=2)
    assert (edited.message_id, edited.text, edited.edit_count) == (message_id, "!", 1)


async def test_dispatcher_polls_the_sandbox_end_to_end(
    api: SandboxBotAPI, make_bot: BotFactory
) -> None:
    router = Router(name="echo")

    @router.message(F.text)
    async def echo(message: Message) -> None:
        markup = InlineKeyboardMarkup(
            inline_keyboard=[[InlineKeyboardButton(text="دوباره", callback_data="again")]]
        )
        await message.answer(f"گفتید: {message.text}", reply_markup=markup)

    @router.callback_query(F.data == "again")
    async def again(query: CallbackQuery) -> None:
        await query.answer("باشه")
        assert isinstance(query.message, Message)
        await query.message.edit_text("دوباره گفتید")

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    bot = await make_bot()
    polling = asyncio.create_task(
        dispatcher.start_polling(
            bot, polling_timeout=1, handle_signals=False, close_bot_session=False
        )
    )
    try:
        before = api.activity_count(TG_TOKEN, USER)
        api.user_sends(TG_TOKEN, DEMO_USER, text="سلام")
        reply = await api.wait_for_bot_message(TG_TOKEN, USER, after_count=before)
        assert reply.text == "گفتید: سلام"
        assert inline_buttons(reply) == [("دوباره", "again")]

        update = api.user_presses(TG_TOKEN, DEMO_USER, reply.message_id, "again")
        edited = await api.wait_for_bot_message(TG_TOKEN, USER, after_count=before + 1)
        assert edited.text == "دوباره گفتید"
        answer = api.callback_answer(TG_TOKEN, update["callback_query"]["id"])
        assert answer is not None
        assert answer["text"] == "باشه"
    finally:
        await dispatcher.stop_polling()
        await polling
