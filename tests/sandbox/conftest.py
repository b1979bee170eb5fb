from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from bot.sandbox.core import SandboxBotAPI
from bot.sandbox.server import SandboxServer, start_sandbox_server
from bot.sandbox.session import sandbox_bot
from bot.sandbox.user_side import DEMO_USER

TG_TOKEN = "111111:telegram-sandbox-token"
BALE_TOKEN = "222222:bale-sandbox-token"
STAFF_GROUP = -100500

# The smallest valid PNG: Telegram refuses photos it cannot decode.
BotFactory = Callable[..., Awaitable[Bot]]

PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d4944415478da63fcffff3f0005fe02fea7d6a4c50000000049454e44ae426082"
)


@pytest.fixture
async def api() -> AsyncIterator[SandboxBotAPI]:
    sandbox = SandboxBotAPI()
    sandbox.add_bot(TG_TOKEN, "telegram", staff_group_id=STAFF_GROUP)
    sandbox.add_bot(BALE_TOKEN, "bale", staff_group_id=STAFF_GROUP)
    sandbox.add_user(TG_TOKEN, DEMO_USER)
    sandbox.add_user(BALE_TOKEN, DEMO_USER)
    yield sandbox
    await sandbox.close()


@pytest.fixture
async def server(api: SandboxBotAPI) -> AsyncIterator[SandboxServer]:
    running = await start_sandbox_server(api)
    yield running
    await running.close()


@pytest.fixture(params=["http", "in-process"])
async def make_bot(request: pytest.FixtureRequest, api: SandboxBotAPI) -> AsyncIterator[BotFactory]:
    """A factory of real aiogram Bots talking to the sandbox over HTTP or in-process."""
    bots: list[Bot] = []
    servers: list[SandboxServer] = []

    async def factory(token: str = TG_TOKEN, **kwargs: object) -> Bot:
        if request.param == "http":
            if not servers:
                servers.append(await start_sandbox_server(api))
            session = AiohttpSession(api=TelegramAPIServer.from_base(servers[0].base_url))
            bot = Bot(token, session=session, **kwargs)  # type: ignore[arg-type]
        else:
            bot = sandbox_bot(api, token, **kwargs)  # type: ignore[arg-type]
        bots.append(bot)
        return bot

    yield factory
    for bot in bots:
        await bot.session.close()
    for running in servers:
        await running.close()
