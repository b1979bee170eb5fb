"""Drives the real Dispatcher against the sandbox Bot API, the way a messenger would.

Outgoing calls go over real HTTP to the sandbox on 127.0.0.1. Incoming updates are fetched with
getUpdates (over HTTP too) and fed to the dispatcher one by one, awaiting each, so a test knows
when the bot has finished answering. The polling loop itself is covered by its own test."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy.exc import DBAPIError

from bot.app import Maharatyar, build_app
from bot.config import Platform, Settings
from bot.sandbox.core import SandboxBotAPI
from bot.sandbox.models import ChatMessage, SandboxUser
from bot.sandbox.server import SandboxServer, start_sandbox_server
from bot.sandbox.user_side import inline_buttons, reply_buttons
from bot.serving.outbox import RunningSenders, start_outbox_senders, stop_outbox_senders

TOKENS: dict[Platform, str] = {
    "telegram": "1000001:flow-telegram-token",
    "bale": "1000002:flow-bale-token",
}
STAFF_GROUPS: dict[Platform, int] = {"telegram": -1001000001, "bale": -1001000002}
_SHOWING_METHODS = {
    "sendMessage", "editMessageText", "sendPhoto", "sendDocument", "editMessageCaption",
    "editMessageReplyMarkup",
}
# How long `pump` waits for the outbox senders (a 429 in a test pauses them for seconds).
OUTBOX_PATIENCE_SECONDS = 15.0
# Random starts keep a shared Redis (deduplication keys, conversation state) from mixing runs.
_user_ids = itertools.count(random.randrange(10**8, 10**9))


def flow_settings(base_url: str, database_url: str, redis_url: str | None) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        telegram_token=SecretStr(TOKENS["telegram"]),
        bale_token=SecretStr(TOKENS["bale"]),
        telegram_api_base=base_url,
        bale_api_base=base_url,
        database_url=database_url,
        redis_url=redis_url,
        staff_chat_telegram=STAFF_GROUPS["telegram"],
        staff_chat_bale=STAFF_GROUPS["bale"],
        admins="",
        # Tests type faster than people: keep the anti-flood out of the way unless a test wants it.
        throttle_rate=1000,
        # The outbox senders run as in production; tests follow each other faster than a person
        # reads, so one chat is not held to one message a second here (the sender tests are).
        outbox_chat_interval_seconds=0.0,
        outbox_poll_seconds=0.05,
        # Tests run at any time of day; the quiet-hours test turns them on with a fixed clock.
        quiet_hours="",
        # Tests change courses behind the service (imports, direct writes) and look at once.
        catalog_page_seconds=0.0,
    )


@dataclass
class Sandbox:
    api: SandboxBotAPI
    server: SandboxServer
    settings: Settings
    app: Maharatyar
    offsets: dict[Platform, int] = field(default_factory=dict)
    user_ids: set[int] = field(default_factory=set)
    senders: RunningSenders | None = None

    @classmethod
    async def start(
        cls, database_url: str, redis_url: str | None = None, **overrides: Any
    ) -> Sandbox:
        api = SandboxBotAPI()
        for platform, token in TOKENS.items():
            state = api.add_bot(token, platform, staff_group_id=STAFF_GROUPS[platform])
            # The bot ids are fixed, so update ids must not repeat across tests sharing Redis.
            state.next_update_id = random.randrange(1, 2**40)
        server = await start_sandbox_server(api)
        settings = flow_settings(server.base_url, database_url, redis_url)
        if overrides:
            settings = settings.model_copy(update=overrides)
        app = await build_app(settings)
        box = cls(api=api, server=server, settings=settings, app=app)
        box.senders = start_outbox_senders(app)
        return box

    async def restart(self) -> None:
        """A new process: a fresh app (caches, dispatcher, bots) on the same database."""
        await self._stop_senders()
        await self.app.close()
        self.app = await build_app(self.settings)
        self.senders = start_outbox_senders(self.app)

    async def _stop_senders(self) -> None:
        if self.senders is not None:
            await stop_outbox_senders(self.senders)
            self.senders = None

    async def _due_rows(self) -> int:
        try:
            return await self.app.services.outbox_service.due_count()
        except (OSError, DBAPIError):  # a test took the database away: nothing can be sent
            return 0

    async def outbox_settled(self) -> None:
        """Wait until the running senders have handled every due outbox row (rows waiting for
        a retry later are not due)."""
        deadline = asyncio.get_running_loop().time() + OUTBOX_PATIENCE_SECONDS
        while await self._due_rows():
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError("the outbox senders left due rows unsent")
            await asyncio.sleep(0.02)

    async def close(self) -> None:
        if self.app.redis is not None:
            for user_id in self.user_ids:
                keys = [k async for k in self.app.redis.scan_iter(match=f"fsm:*:{user_id}:*")]
                if keys:
                    await self.app.redis.delete(*keys)
        await self._stop_senders()
        await self.app.close()
        await self.server.close()
        await self.api.close()

    async def pump(self, platform: Platform) -> int:
        """Fetch pending updates over HTTP and let the dispatcher handle each; returns the count."""
        bot = self.app.bots[platform]
        handled = 0
        while True:
            updates = await bot.get_updates(offset=self.offsets.get(platform), timeout=0)
            if not updates:
                # What the handlers queued in the outbox is part of their answer.
                if self.senders is not None:
                    await self.outbox_settled()
                return handled
            for update in updates:
                self.offsets[platform] = update.update_id + 1
                await self.app.dispatcher.feed_update(bot, update)
                handled += 1

    def sent_texts(self, platform: Platform, chat_id: int) -> list[str]:
        """Every text the bot showed in a chat, edits included: messages, captions and the labels
        of their buttons (read from the sandbox's call log, so no version is missed)."""
        texts = []
        for method, params in self.api.calls(TOKENS[platform]):
            if method not in _SHOWING_METHODS or str(params.get("chat_id")) != str(chat_id):
                continue
            for name in ("text", "caption"):
                if params.get(name):
                    texts.append(str(params[name]))
            markup = params.get("reply_markup") or {}
            if isinstance(markup, str):
                markup = json.loads(markup)
            for row in markup.get("inline_keyboard") or markup.get("keyboard") or []:
                texts += [b["text"] if isinstance(b, dict) else str(b) for b in row]
        return texts

    def person(self, platform: Platform, **user: Any) -> Person:
        user_id = user.pop("id", None) or next(_user_ids)
        self.user_ids.add(user_id)
        first_name = user.pop("first_name", "مریم")
        return Person(self, platform, SandboxUser(id=user_id, first_name=first_name, **user))


@dataclass
class Person:
    """A simulated beneficiary in a private chat with the bot."""

    sandbox: Sandbox
    platform: Platform
    user: SandboxUser

    @property
    def token(self) -> str:
        return TOKENS[self.platform]

    @property
    def api(self) -> SandboxBotAPI:
        return self.sandbox.api

    def messages(self) -> list[ChatMessage]:
        return [m for m in self.api.messages(self.token, self.user.id) if not m.deleted]

    def _seen(self) -> dict[int, int]:
        return {m.message_id: m.version for m in self.api.messages(self.token, self.user.id)}

    async def _after(self, before: dict[int, int]) -> list[ChatMessage]:
        await self.sandbox.pump(self.platform)
        return [
            m for m in self.api.messages(self.token, self.user.id)
            if m.outgoing and not m.deleted and before.get(m.message_id) != m.version
        ]

    async def send(self, text: str | None = None, **kwargs: Any) -> list[ChatMessage]:
        before = self._seen()
        self.api.user_sends(self.token, self.user, text=text, **kwargs)
        return await self._after(before)

    async def share_contact(self, phone: str, **kwargs: Any) -> list[ChatMessage]:
        before = self._seen()
        self.api.user_shares_contact(self.token, self.user, phone, **kwargs)
        return await self._after(before)

    async def press(self, label: str) -> list[ChatMessage]:
        """Press the inline button whose text contains `label`, on the newest message having it."""
        for message in reversed(self.messages()):
            for text, data in inline_buttons(message):
                if label in text:
                    return await self.press_data(message.message_id, data)
        raise AssertionError(f"no button {label!r}; last screen: {self.screen()}")

    async def press_data(
        self, message_id: int, data: str, *, forge: bool = False
    ) -> list[ChatMessage]:
        before = self._seen()
        self.api.user_presses(self.token, self.user, message_id, data, forge=forge)
        return await self._after(before)

    def last(self) -> ChatMessage:
        outgoing = [m for m in self.messages() if m.outgoing]
        assert outgoing, "the bot has said nothing"
        return max(outgoing, key=lambda m: m.version)

    def screen(self) -> str:
        last = self.last()
        return f"{last.text!r} buttons={inline_buttons(last)} reply={reply_buttons(last)}"

    def reply_keyboard(self) -> list[str]:
        keyboard = self.api.current_reply_keyboard(self.token, self.user.id)
        return reply_buttons(keyboard) if keyboard else []


@contextlib.asynccontextmanager
async def started_sandbox(
    request: pytest.FixtureRequest, database_kind: str, database_url: str, **overrides: Any
) -> AsyncIterator[Sandbox]:
    """A Sandbox on the test's database. PostgreSQL runs go with Redis (as in production) when
    TEST_REDIS_URL is set, its keys under a per-test prefix removed afterwards; SQLite runs use
    the SQL conversation store."""
    redis_url = None
    if database_kind == "postgresql" and os.environ.get("TEST_REDIS_URL"):
        redis_url = request.getfixturevalue("redis_url")
        overrides.setdefault("redis_prefix", request.getfixturevalue("redis_key_prefix"))
    box = await Sandbox.start(database_url, redis_url, **overrides)
    try:
        yield box
    finally:
        await box.close()
