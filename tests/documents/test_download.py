"""download_limited against the sandbox Bot API over real HTTP, on both flavours."""

from __future__ import annotations

import io
import os
from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import Message

from bot.config import Platform
from bot.platforms.files import DownloadFailed, FileTooBig, _CappedBuffer, download_limited
from bot.sandbox.core import SandboxBotAPI
from bot.sandbox.server import start_sandbox_server
from bot.sandbox.user_side import DEMO_USER

TOKEN = "333333:download-token"
MB = 1024 * 1024


@pytest.fixture
def api() -> SandboxBotAPI:
    return SandboxBotAPI()


@pytest.fixture
def flavour() -> Platform:
    return "telegram"  # tests where the messenger matters parametrize it


@pytest.fixture
async def bot(flavour: Platform, api: SandboxBotAPI) -> AsyncIterator[Bot]:
    api.add_bot(TOKEN, flavour)
    server = await start_sandbox_server(api)
    bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(server.base_url)))
    yield bot
    await bot.session.close()
    await server.close()
    await api.close()


def _document(raw: dict[str, object]) -> tuple[str, int | None]:
    message = Message.model_validate(raw)
    assert message.document is not None
    return message.document.file_id, message.document.file_size


@pytest.mark.parametrize("flavour", ["telegram", "bale"])
async def test_downloads_exact_bytes(api: SandboxBotAPI, bot: Bot) -> None:
    data = b"%PDF-1.7\n" + os.urandom(300_000)  # several 64 KiB chunks
    file_id, size = _document(api.user_sends_document(TOKEN, DEMO_USER, data, "مدرک.pdf"))
    assert size == len(data)
    assert await download_limited(bot, file_id, size, max_bytes=len(data)) == data


async def test_photo_download(api: SandboxBotAPI, bot: Bot) -> None:
    data = b"\xff\xd8\xff\xe0" + os.urandom(5000)
    raw = api.user_sends_photo(TOKEN, DEMO_USER, data)
    photo = Message.model_validate(raw).photo
    assert photo is not None
    largest = photo[-1]
    assert await download_limited(bot, largest.file_id, largest.file_size, 10_000) == data


async def test_declared_size_over_limit_refused_before_any_request(
    api: SandboxBotAPI, bot: Bot
) -> None:
    file_id, size = _document(api.user_sends_document(TOKEN, DEMO_USER, b"x" * 2000, "a.csv"))
    before = len(api.calls(TOKEN))
    with pytest.raises(FileTooBig) as caught:
        await download_limited(bot, file_id, size, max_bytes=1000)
    assert caught.value.size == 2000
    assert len(api.calls(TOKEN)) == before  # not even getFile


async def test_real_size_over_limit_when_size_not_declared(api: SandboxBotAPI, bot: Bot) -> None:
    file_id, _ = _document(api.user_sends_document(TOKEN, DEMO_USER, b"x" * 2000, "a.csv"))
    with pytest.raises(FileTooBig) as caught:
        await download_limited(bot, file_id, None, max_bytes=1000)
    assert caught.value.size == 2000


@pytest.mark.parametrize("flavour", ["telegram", "bale"])
async def test_file_past_messenger_download_cap(api: SandboxBotAPI, bot: Bot) -> None:
    # Both messengers refuse getFile past 20 MB: that is "too big" too, not a failure.
    file_id, _ = _document(
        api.user_sends_document(TOKEN, DEMO_USER, b"\0" * (21 * MB), "big.xlsx")
    )
    with pytest.raises(FileTooBig):
        await download_limited(bot, file_id, None, max_bytes=50 * MB)


async def test_unknown_file_id_fails_cleanly(bot: Bot) -> None:
    with pytest.raises(DownloadFailed):
        await download_limited(bot, "BQACAgQAAxk-no-such-file", 10, max_bytes=1000)


async def test_stream_cap_holds_when_sizes_understate(api: SandboxBotAPI, bot: Bot) -> None:
    # A server that lies about sizes: the capped buffer stops the stream itself.
    file_id, _ = _document(api.user_sends_document(TOKEN, DEMO_USER, b"y" * 200_000, "a.csv"))
    file = await bot.get_file(file_id)
    assert file.file_path is not None
    buffer = _CappedBuffer(100_000)
    with pytest.raises(FileTooBig):
        await bot.download_file(file.file_path, destination=buffer, chunk_size=65536)
    assert buffer.tell() <= 100_000
    assert isinstance(buffer, io.BytesIO)
