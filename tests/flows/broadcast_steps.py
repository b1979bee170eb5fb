"""Shared moves for the broadcast flow tests: an administrator composing, people receiving."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from sqlalchemy import select

from bot.sandbox.models import ChatMessage
from bot.sandbox.user_side import inline_buttons
from storage.models import Broadcast
from tests.flows.harness import Person, Sandbox
from tests.flows.staff_steps import ADMIN_IDS, StaffUser, sandbox_with_admins

# Fast progress rounds for tests (the harness sets no per-chat interval).
FAST = {"broadcast_progress_seconds": 0.05}


@pytest.fixture
async def bcast_sandbox(
    database_url: str, database_kind: str, request: pytest.FixtureRequest
) -> AsyncIterator[Sandbox]:
    admins = ",".join(f"{platform}:{user_id}" for platform, user_id in ADMIN_IDS.items())
    overrides = getattr(request, "param", {})
    async with sandbox_with_admins(
        admins, database_url, database_kind, request, **{**FAST, **overrides}
    ) as box:
        yield box


def widget(user: StaffUser, name: str) -> tuple[int, str]:
    """(message id, data) of the newest dialog button with widget id `name`."""
    for message in sorted(user.messages(), key=lambda m: m.version, reverse=True):
        for _, data in inline_buttons(message):
            if data.split("\x1d")[-1] == name:
                return message.message_id, data
    raise AssertionError(f"no button {name!r}; last: {user.screen()}")


async def press_widget(user: StaffUser, name: str) -> str:
    return await user.press_data(*widget(user, name))


def received(person: Person, text: str) -> list[ChatMessage]:
    """The bot's messages to `person` whose text or caption is `text`."""
    return [
        m for m in person.messages()
        if m.outgoing and (m.text == text or m.raw.get("caption") == text)
    ]


def has_stop_button(message: ChatMessage) -> bool:
    return any("Stop news" in label for label, _ in inline_buttons(message))


async def compose(user: StaffUser, text: str | None = None, **message: Any) -> str:
    """Open the form and send the message; returns what the bot shows next."""
    await user.send("/broadcast")
    assert "New broadcast" in user.last_text(), user.screen()
    if text is not None:
        await user.send(text)
    else:
        user.api.user_sends(user.token, user.person.user, **message)
        await user.person.sandbox.pump(user.person.platform)
    return user.last_text()


async def broadcasts(box: Sandbox) -> list[Broadcast]:
    async with box.app.session_factory() as session:
        return list(await session.scalars(select(Broadcast).order_by(Broadcast.id)))


async def wait_for(check: Callable[[], bool], seconds: float = 8.0) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("waited in vain")
        await asyncio.sleep(0.02)


def texts(user: StaffUser) -> list[str]:
    return [m.text or m.raw.get("caption") or "" for m in user.messages()]


async def confirm_held(box: Sandbox, user: StaffUser) -> Broadcast:
    """Confirm with the senders stopped, so a test decides when each row goes; returns the
    broadcast. `resume_senders` starts them again."""
    await box._stop_senders()
    await press_widget(user, "confirm")
    [made] = await broadcasts(box)
    return made


async def deliver_some(box: Sandbox, platform: str, count: int) -> None:
    """Send the first `count` due rows the way the sender does (its `_send_row`, one row each,
    outcomes recorded), with no loop running: the rest stay pending."""
    from bot.serving.outbox import build_sender

    sender = build_sender(box.app, platform)
    items = (await box.app.services.outbox_service.due(platform, count))[:count]
    targets = await sender._targets_of(items)
    for item in items:
        await sender._send_row(item, targets.get(item.id, []))
    await sender._flush()


def resume_senders(box: Sandbox) -> None:
    from bot.serving.outbox import start_outbox_senders

    box.senders = start_outbox_senders(box.app)
