"""The HTTP session the bots talk to their messenger's Bot API through."""

from __future__ import annotations

import asyncio

from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer


class BotApiSession(AiohttpSession):
    """aiogram's aiohttp session. aiogram waits 250 ms after closing it, for TLS connections to
    close cleanly; a Bot API reached over plain HTTP (a local Bot API server, the sandbox) has
    none, so its close does not wait."""

    def __init__(self, base_url: str) -> None:
        super().__init__(api=TelegramAPIServer.from_base(base_url))
        self._tls = base_url.lower().startswith("https://")

    async def close(self) -> None:
        if self._tls:
            await super().close()
        elif self._session is not None and not self._session.closed:
            await self._session.close()
            await asyncio.sleep(0)  # let the connector's transports see their close
