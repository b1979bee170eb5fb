"""Shared moves for the staff-review flow tests.

Staff act in their private chat with the bot or in the staff group (harness STAFF_GROUPS);
`StaffUser` is the same person in either place. The first administrators come from ADMINS the way
a real start grants them (bot.runner.grant_configured_admins). Submitted applications are made
straight through ApplicationService (the beneficiary screens are tested elsewhere)."""

from __future__ import annotations

import os
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest

from bot.config import Platform
from bot.runner import grant_configured_admins
from bot.sandbox.models import ChatMessage
from bot.sandbox.user_side import inline_buttons
from tests.flows.harness import STAFF_GROUPS, TOKENS, Person, Sandbox

# Administrator accounts named in ADMINS for every staff test (random: a shared Redis).
ADMIN_IDS: dict[Platform, int] = {
    "telegram": random.randrange(3 * 10**9, 4 * 10**9),
    "bale": random.randrange(3 * 10**9, 4 * 10**9),
}


@pytest.fixture
async def staff_sandbox(
    database_url: str, database_kind: str, request: pytest.FixtureRequest
) -> AsyncIterator[Sandbox]:
    """The flow sandbox with ADMINS set and granted, as `python -m bot run` does at start."""
    overrides: dict[str, Any] = {
        "admins": ",".join(f"{platform}:{user_id}" for platform, user_id in ADMIN_IDS.items())
    }
    redis_url = None
    if database_kind == "postgresql" and os.environ.get("TEST_REDIS_URL"):
        redis_url = request.getfixturevalue("redis_url")
        overrides["redis_prefix"] = request.getfixturevalue("redis_key_prefix")
    box = await Sandbox.start(database_url, redis_url, **overrides)
    await grant_configured_admins(box.settings, box.app.session_factory)
    try:
        yield box
    finally:
        await box.close()


@dataclass
class StaffUser:
    """A person acting in one chat: their private chat with the bot, or the staff group."""

    person: Person
    chat_id: int

    @property
    def api(self) -> Any:
        return self.person.api

    @property
    def token(self) -> str:
        return TOKENS[self.person.platform]

    @property
    def user_id(self) -> int:
        return self.person.user.id

    @property
    def account(self) -> str:
        return f"{self.person.platform}:{self.user_id}"

    def in_group(self) -> StaffUser:
        return StaffUser(self.person, STAFF_GROUPS[self.person.platform])

    def messages(self) -> list[ChatMessage]:
        return [m for m in self.api.messages(self.token, self.chat_id) if not m.deleted]

    def last(self) -> ChatMessage:
        messages = self.messages()
        assert messages, "the bot has said nothing here"
        return max(messages, key=lambda m: m.version)

    def last_text(self) -> str:
        return self.last().text or self.last().raw.get("caption") or ""

    async def send(self, text: str) -> list[ChatMessage]:
        before = {m.message_id: m.version for m in self.api.messages(self.token, self.chat_id)}
        self.api.user_sends(self.token, self.person.user, text=text, chat_id=self.chat_id)
        await self.person.sandbox.pump(self.person.platform)
        return [
            m for m in self.api.messages(self.token, self.chat_id)
            if not m.deleted and before.get(m.message_id) != m.version
        ]

    async def press_data(self, message_id: int, data: str, *, forge: bool = False) -> str:
        """Press a button; returns the text of the callback answer (the little toast)."""
        update = self.api.user_presses(
            self.token, self.person.user, message_id, data, chat_id=self.chat_id, forge=forge
        )
        await self.person.sandbox.pump(self.person.platform)
        answer = self.api.callback_answer(self.token, update["callback_query"]["id"])
        return str((answer or {}).get("text") or "")

    def button(self, label: str) -> tuple[int, str]:
        """(message id, data) of the newest button whose text contains `label`."""
        for message in sorted(self.messages(), key=lambda m: m.version, reverse=True):
            for text, data in inline_buttons(message):
                if label in text:
                    return message.message_id, data
        raise AssertionError(f"no button {label!r}; last: {self.screen()}")

    def button_data(self, prefix: str) -> tuple[int, str]:
        """(message id, data) of the newest button whose callback data starts with `prefix`."""
        for message in sorted(self.messages(), key=lambda m: m.version, reverse=True):
            for _, data in inline_buttons(message):
                if data.startswith(prefix):
                    return message.message_id, data
        raise AssertionError(f"no button with data {prefix!r}; last: {self.screen()}")

    async def press(self, label: str) -> str:
        return await self.press_data(*self.button(label))

    async def press_prefix(self, prefix: str) -> str:
        return await self.press_data(*self.button_data(prefix))

    def screen(self) -> str:
        last = self.last()
        return f"{last.text!r} buttons={inline_buttons(last)}"


def staff_user(sandbox: Sandbox, platform: str, *, user_id: int | None = None) -> StaffUser:
    """An English-speaking person in their private chat (see `in_group` for the staff group)."""
    extra: dict[str, Any] = {"id": user_id} if user_id is not None else {}
    person = sandbox.person(platform, language_code="en", **extra)  # type: ignore[arg-type]
    return StaffUser(person, person.user.id)


def admin(sandbox: Sandbox, platform: str) -> StaffUser:
    return staff_user(sandbox, platform, user_id=ADMIN_IDS[platform])  # type: ignore[index]


async def add_caseworker(
    admin_user: StaffUser, caseworker: StaffUser, provinces: str = ""
) -> str:
    await admin_user.send(f"/addcaseworker {caseworker.account} {provinces}".strip())
    return admin_user.last_text()
