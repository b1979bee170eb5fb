"""Each known Bale difference, reproduced by the Bale flavour and absent on Telegram."""

from __future__ import annotations

import pytest
from aiogram.client.default import DefaultBotProperties
from aiogram.exceptions import TelegramBadRequest, TelegramNotFound
from aiogram.types import (
    BotCommand,
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
)

from bot.sandbox.core import SandboxBotAPI
from bot.sandbox.models import MB, UploadedFile
from bot.sandbox.user_side import DEMO_USER
from tests.sandbox.conftest import BALE_TOKEN, TG_TOKEN, BotFactory

USER = DEMO_USER.id
_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


async def test_parse_mode_is_rejected_even_from_bot_defaults(make_bot: BotFactory) -> None:
    bale = await make_bot(BALE_TOKEN, default=DefaultBotProperties(parse_mode="HTML"))
    with pytest.raises(TelegramBadRequest, match="parse_mode is not supported"):
        await bale.send_message(USER, "سلام")
    plain = await make_bot(BALE_TOKEN)
    assert (await plain.send_message(USER, "سلام")).text == "سلام"
    telegram = await make_bot(TG_TOKEN, default=DefaultBotProperties(parse_mode="HTML"))
    assert (await telegram.send_message(USER, "<b>سلام</b>")).text == "سلام"


async def test_message_thread_id_is_rejected(api: SandboxBotAPI) -> None:
    status, body = await api.call(
        BALE_TOKEN, "sendMessage", {"chat_id": "-100500", "text": "x", "message_thread_id": "3"}
    )
    assert status == 400
    assert "message_thread_id" in body["description"]


async def test_command_menu_methods_do_not_exist(make_bot: BotFactory) -> None:
    bale = await make_bot(BALE_TOKEN)
    with pytest.raises(TelegramNotFound, match="method not found"):
        await bale.set_my_commands([BotCommand(command="start", description="شروع")])
    with pytest.raises(TelegramNotFound):
        await bale.get_my_commands()
    with pytest.raises(TelegramNotFound):
        await bale.delete_my_commands()


@pytest.mark.parametrize(
    ("method", "params", "sent_as"),
    [
        ("editMessageText", {"text": "بعد"}, "text"),
        ("editMessageReplyMarkup", {"reply_markup": '{"inline_keyboard": [[{"text": "b", '
                                                     '"callback_data": "b"}]]}'}, "text"),
        ("editMessageCaption", {"caption": "بعد"}, "photo"),
    ],
)
async def test_every_edit_answers_a_stub_on_bale_and_the_message_on_telegram(
    api: SandboxBotAPI, make_bot: BotFactory, method: str, params: dict[str, str], sent_as: str
) -> None:
    answers = {}
    for token in (BALE_TOKEN, TG_TOKEN):
        bot = await make_bot(token)
        if sent_as == "photo":
            sent = await bot.send_photo(USER, BufferedInputFile(_PNG, "p.png"), caption="قبل")
        else:
            sent = await bot.send_message(USER, "قبل")
        status, body = await api.call(
            token, method, {"chat_id": str(USER), "message_id": str(sent.message_id), **params}
        )
        assert status == 200, body
        answers[token] = body["result"]
        stored = api.last_message(token, USER)
        assert stored is not None and stored.edit_count == 1
    assert answers[BALE_TOKEN] == {"message_id": answers[TG_TOKEN]["message_id"]}
    assert {"date", "chat"} <= answers[TG_TOKEN].keys()


@pytest.mark.parametrize(("token", "has_key"), [(BALE_TOKEN, False), (TG_TOKEN, True)])
async def test_callback_query_chat_instance(api: SandboxBotAPI, token: str, has_key: bool) -> None:
    markup = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="بله", callback_data="yes")]]
    ).model_dump(exclude_none=True)
    status, body = await api.call(
        token, "sendMessage", {"chat_id": USER, "text": "؟", "reply_markup": markup}
    )
    assert status == 200
    api.user_presses(token, DEMO_USER, body["result"]["message_id"], "yes")
    # Raw getUpdates: aiogram's CallbackQuery model would refuse Bale's update.
    status, updates = await api.call(token, "getUpdates", {})
    query = updates["result"][-1]["callback_query"]
    assert query["data"] == "yes"
    assert ("chat_instance" in query) is has_key


@pytest.mark.parametrize("token", [BALE_TOKEN, TG_TOKEN])
async def test_get_file_caps_downloads_at_20_mb(api: SandboxBotAPI, token: str) -> None:
    big = api.user_sends(token, DEMO_USER, document=("scan.pdf", b"0" * (20 * MB + 1), "x"))
    small = api.user_sends(token, DEMO_USER, document=("ok.pdf", b"0" * (20 * MB), "x"))
    status, body = await api.call(token, "getFile", {"file_id": big["document"]["file_id"]})
    assert (status, body["description"]) == (400, "Bad Request: file is too big")
    status, body = await api.call(token, "getFile", {"file_id": small["document"]["file_id"]})
    assert status == 200
    assert body["result"]["file_size"] == 20 * MB


async def test_uploads_over_50_mb_are_refused(api: SandboxBotAPI) -> None:
    upload = UploadedFile("big.zip", b"0" * (50 * MB + 1))
    status, body = await api.call(
        BALE_TOKEN, "sendDocument", {"chat_id": USER, "document": "attach://f"}, {"f": upload}
    )
    assert status == 413
    assert body["ok"] is False
