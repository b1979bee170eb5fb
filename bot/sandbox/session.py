"""An aiogram session that talks to a SandboxBotAPI in-process: no socket, no JSON round trip."""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator
from typing import Any, cast
from urllib.parse import unquote, urlparse

from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.base import BaseSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.methods import TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import InputFile

from bot.sandbox.core import SandboxBotAPI
from bot.sandbox.models import UploadedFile

# Never resolved: the URLs only carry token and file path to `stream_content`.
SANDBOX_SERVER = TelegramAPIServer.from_base("http://sandbox.invalid")


def _loads(content: Any) -> Any:
    # check_response() wants text; the in-process body is already a dict, so pass it through.
    return content if isinstance(content, dict) else json.loads(content)


class SandboxSession(BaseSession):
    def __init__(self, api: SandboxBotAPI) -> None:
        super().__init__(api=SANDBOX_SERVER, json_loads=_loads)
        self.sandbox = api

    async def close(self) -> None:
        return None

    async def build_params(
        self, bot: Bot, method: TelegramMethod[Any]
    ) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
        """The fields AiohttpSession would post, minus the JSON encoding of nested objects."""
        params: dict[str, Any] = {}
        inputs: dict[str, InputFile] = {}
        for key, value in method.model_dump(warnings=False).items():
            prepared = self.prepare_value(value, bot=bot, files=inputs, _dumps_json=False)
            # Same rule as AiohttpSession.build_form_data: falsy values are not sent at all.
            if not prepared:
                continue
            params[key] = prepared
        files: dict[str, UploadedFile] = {}
        for key, input_file in inputs.items():
            chunks = [chunk async for chunk in input_file.read(bot)]
            files[key] = UploadedFile(filename=input_file.filename or key, content=b"".join(chunks))
        return params, files

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[TelegramType],
        timeout: int | None = None,  # noqa: ASYNC109
    ) -> TelegramType:
        params, files = await self.build_params(bot, method)
        status, body = await self.sandbox.call(bot.token, method.__api_method__, params, files)
        response = self.check_response(
            bot=bot, method=method, status_code=status, content=cast(str, body)
        )
        return cast(TelegramType, response.result)

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,  # noqa: ASYNC109
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:
        # URL shape: http://sandbox.invalid/file/bot{token}/{file_path}
        path = unquote(urlparse(url).path)
        _, _, rest = path.partition("/file/bot")
        token, _, file_path = rest.partition("/")
        stored = self.sandbox.file_by_path(token, file_path) if token in self.sandbox.bots else None
        if stored is None:
            if raise_for_status:
                raise FileNotFoundError(f"404 Not Found: {url}")
            return
        for start in range(0, len(stored.content), chunk_size):
            yield stored.content[start : start + chunk_size]


def sandbox_bot(
    api: SandboxBotAPI,
    token: str,
    platform: str | None = None,
    *,
    default: DefaultBotProperties | None = None,
) -> Bot:
    """An aiogram Bot wired to the sandbox in-process, tagged with its platform like build_bot."""
    bot = Bot(token=token, session=SandboxSession(api), default=default)
    bot.platform = platform or api.bot(token).flavour  # type: ignore[attr-defined]
    return bot
