"""The sandbox over real HTTP: Bot API routes, file downloads, and the web chat page.

Run alone (e.g. by a benchmark, in a process of its own), optionally with Telegram's flood limits:

    python -m bot.sandbox.server --port 8081 --tokens 1:a,2:b --users 10000 \\
        --rate 1000 --chat-interval 1 --random-429 0.001

`GET /sandbox/limits` answers each limited bot's counters (delivered, per chat, 429s given)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any

from aiohttp import BodyPartReader, web

from bot.sandbox.core import SandboxBotAPI
from bot.sandbox.media import MAX_UPLOAD_BYTES
from bot.sandbox.models import Flavour, SandboxUser, UploadedFile
from bot.sandbox.ui import add_ui_routes

API_KEY: web.AppKey[SandboxBotAPI] = web.AppKey("sandbox_api", SandboxBotAPI)
CLOSING_KEY: web.AppKey[asyncio.Event] = web.AppKey("sandbox_closing", asyncio.Event)
_NO_UPDATES: tuple[int, dict[str, Any]] = (200, {"ok": True, "result": []})
_TOO_LARGE = {"ok": False, "error_code": 413, "description": "Request Entity Too Large"}


class _UploadTooLarge(Exception):
    pass


async def read_request(request: web.Request) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
    """Parameters and uploads from query, urlencoded, multipart or JSON bodies."""
    params: dict[str, Any] = dict(request.query)
    files: dict[str, UploadedFile] = {}
    if request.method != "POST" or not request.can_read_body:
        return params, files
    content_type = request.content_type
    if content_type == "multipart/form-data":
        reader = await request.multipart()
        while (part := await reader.next()) is not None:
            if not isinstance(part, BodyPartReader) or part.name is None:
                continue
            if part.filename is None:
                params[part.name] = await part.text()
                continue
            chunks: list[bytes] = []
            size = 0
            while chunk := await part.read_chunk(1 << 16):
                size += len(chunk)
                if size > MAX_UPLOAD_BYTES:
                    raise _UploadTooLarge
                chunks.append(chunk)
            files[part.name] = UploadedFile(
                filename=part.filename,
                content=b"".join(chunks),
                content_type=part.headers.get("Content-Type"),
            )
    elif content_type == "application/json":
        body = await request.json()
        if isinstance(body, dict):
            params.update(body)
    else:
        params.update(await request.post())
    return params, files


async def _bot_method(request: web.Request) -> web.Response:
    api = request.app[API_KEY]
    try:
        params, files = await read_request(request)
    except _UploadTooLarge:
        return web.json_response(_TOO_LARGE, status=413)
    except (ValueError, json.JSONDecodeError):
        body = {"ok": False, "error_code": 400, "description": "Bad Request: can't parse request"}
        return web.json_response(body, status=400)
    method = request.match_info["method"]
    call = api.call(request.match_info["token"], method, params, files)
    if method.lower() == "getupdates":
        status, body = await _long_poll(call, request.app[CLOSING_KEY])
    else:
        status, body = await call
    return web.json_response(body, status=status, dumps=_dumps)


async def _long_poll(
    call: Awaitable[tuple[int, dict[str, Any]]], closing: asyncio.Event
) -> tuple[int, dict[str, Any]]:
    """getUpdates, answered with "no updates" as soon as the server starts closing.

    aiohttp waits for every running handler before it stops, and does not cancel one whose client
    has gone: a bot that stopped polling on Ctrl+C leaves its getUpdates (timeout=10) parked
    here, which held the whole sandbox open for those 10 seconds."""
    if closing.is_set():
        return _NO_UPDATES
    poll = asyncio.ensure_future(call)
    stop = asyncio.ensure_future(closing.wait())
    try:
        await asyncio.wait({poll, stop}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stop.cancel()
        if not poll.done():
            poll.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await poll
    return _NO_UPDATES if poll.cancelled() else poll.result()


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


async def _download(request: web.Request) -> web.StreamResponse:
    api = request.app[API_KEY]
    token = request.match_info["token"]
    stored = api.file_by_path(token, request.match_info["path"]) if token in api.bots else None
    if stored is None:
        return web.json_response(
            {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
        )
    return web.Response(
        body=stored.content, content_type=stored.mime_type or "application/octet-stream"
    )


def build_sandbox_app(api: SandboxBotAPI) -> web.Application:
    # Room for a 50 MB upload plus form overhead; larger bodies get Telegram's 413.
    app = web.Application(client_max_size=MAX_UPLOAD_BYTES + (1 << 20))
    app[API_KEY] = api
    app[CLOSING_KEY] = asyncio.Event()
    app.on_shutdown.append(_release_long_polls)
    app.router.add_route("*", "/bot{token}/{method}", _bot_method)
    app.router.add_get("/file/bot{token}/{path:.+}", _download)
    app.router.add_get("/healthz", _healthz)
    app.router.add_get("/sandbox/limits", _limits)
    add_ui_routes(app, api)
    return app


@dataclass
class SandboxServer:
    runner: web.AppRunner
    host: str
    port: int

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    async def close(self) -> None:
        await self.runner.cleanup()


async def start_sandbox_server(
    api: SandboxBotAPI, host: str = "127.0.0.1", port: int = 0
) -> SandboxServer:
    """Serve the sandbox; port 0 picks a free port (see `.base_url`)."""
    runner = web.AppRunner(build_sandbox_app(api), handle_signals=False, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    bound_port = int(runner.addresses[0][1]) if runner.addresses else port
    return SandboxServer(runner=runner, host=host, port=bound_port)


async def _release_long_polls(app: web.Application) -> None:
    app[CLOSING_KEY].set()


async def _healthz(_request: web.Request) -> web.Response:
    # The Docker health check asks the sandbox the same question it asks the webhook server.
    return web.json_response({"status": "ok"})


async def _limits(request: web.Request) -> web.Response:
    api = request.app[API_KEY]
    return web.json_response(
        {token: limiter.snapshot() for token, limiter in api.limiters.items()}
    )


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bot.sandbox.server", description="The sandbox Bot API, alone."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--tokens", default="", help="bot tokens to register, comma-separated")
    parser.add_argument("--bale-tokens", default="", help="tokens of Bale-flavoured bots")
    parser.add_argument("--users", type=int, default=0,
                        help="open private chats with this many users on every bot")
    parser.add_argument("--first-user", type=int, default=1, help="the first of those user ids")
    parser.add_argument("--rate", type=float, default=None,
                        help="enforce this many sending calls a second per bot")
    parser.add_argument("--burst", type=float, default=None)
    parser.add_argument("--chat-interval", type=float, default=0.0,
                        help="enforce this many seconds between two messages to one chat")
    parser.add_argument("--retry-after", type=int, default=None)
    parser.add_argument("--random-429", type=float, default=0.0,
                        help="refuse this fraction of sending calls with a 429")
    parser.add_argument("--seed", type=int, default=0)
    return parser.parse_args(argv)


def api_from_arguments(args: argparse.Namespace) -> SandboxBotAPI:
    api = SandboxBotAPI(record_calls=False)
    flavours: list[tuple[str, Flavour]] = [(t, "telegram") for t in args.tokens.split(",") if t]
    flavours += [(t, "bale") for t in args.bale_tokens.split(",") if t]
    for token, flavour in flavours:
        api.add_bot(token, flavour)
        for user_id in range(args.first_user, args.first_user + args.users):
            api.add_user(token, SandboxUser(id=user_id, first_name=f"user {user_id}"))
    if args.rate is not None or args.chat_interval or args.random_429:
        api.enforce_limits(
            per_second=args.rate, per_chat_interval=args.chat_interval,
            retry_after=args.retry_after, burst=args.burst, random_429=args.random_429,
            seed=args.seed,
        )
    return api


async def serve(args: argparse.Namespace) -> None:
    api = api_from_arguments(args)
    server = await start_sandbox_server(api, args.host, args.port)
    print(f"sandbox Bot API at {server.base_url}", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await server.close()
        await api.close()


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(_arguments(None)))
