"""The outbox sender against a sandbox that enforces Telegram's flood limits: it keeps within
them, honours a 429 it provokes, puts urgent rows first, holds news through quiet hours, skips a
paused broadcast, and sends a photo once by upload then by file id."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import time
from collections.abc import AsyncIterator
from zoneinfo import ZoneInfo

import pytest
import time_machine
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import get_i18n
from sqlalchemy import func, select, update

from bot.notifications.outgoing import Media, Outgoing
from bot.notifications.sender import OutboxSender
from bot.sandbox.models import SandboxUser
from bot.serving.outbox import build_sender
from services.outbox import OutboxItem, enqueue
from services.quiet_hours import QuietHours
from storage.models import Broadcast, OutboxMessage
from tests.flows.harness import STAFF_GROUPS, TOKENS, Sandbox
from tests.flows.staff_steps import applications, submitted_application, told
from tests.flows.test_outbox import ADMIN, REVIEWING

TOKEN = TOKENS["telegram"]
NOTE = "note"
TEHRAN = ZoneInfo("Asia/Tehran")


async def note(item: OutboxItem) -> Outgoing:
    return Outgoing(lambda: f"note {item.payload['n']}")


@pytest.fixture
async def sender(outbox_sandbox: Sandbox) -> AsyncIterator[OutboxSender]:
    """A telegram sender of the test's own (the running ones stopped), knowing kind "note"."""
    await outbox_sandbox._stop_senders()
    own = build_sender(outbox_sandbox.app, "telegram", holder="pacer")
    own.wordings = {**own.wordings, NOTE: note}
    yield own


def paced(sender: OutboxSender, rate: float, chat_interval: float = 0.0) -> None:
    sender.pacing = dataclasses.replace(
        sender.pacing, rate_per_second=rate, chat_interval_seconds=chat_interval
    )


def open_chats(sandbox: Sandbox, count: int, first: int = 7001) -> list[int]:
    chats = list(range(first, first + count))
    for chat in chats:
        sandbox.api.add_user(TOKEN, SandboxUser(id=chat, first_name="u"))
    return chats


async def queue_notes(
    sandbox: Sandbox, chats: list[int], rounds: int = 1, priority: int = 0, kind: str = NOTE,
    broadcast_id: int | None = None,
) -> None:
    async with sandbox.app.session_factory() as session:
        for n in range(rounds):
            for chat in chats:
                await enqueue(session, kind=kind, platform="telegram", chat_id=chat,
                              payload={"n": n}, priority=priority)
        await session.flush()
        if broadcast_id is not None:
            await session.execute(update(OutboxMessage).values(broadcast_id=broadcast_id))
        await session.commit()


async def pending(sandbox: Sandbox) -> int:
    """Telegram's pending rows: the test's own sender sends no others (a submission's alert to
    the Bale staff group stays pending here)."""
    async with sandbox.app.session_factory() as session:
        return int(await session.scalar(
            select(func.count()).select_from(OutboxMessage).where(
                OutboxMessage.platform == "telegram",
                OutboxMessage.sent_at.is_(None), OutboxMessage.given_up_at.is_(None))
        ) or 0)


async def outcomes(sandbox: Sandbox) -> list[str | None]:
    async with sandbox.app.session_factory() as session:
        return list(await session.scalars(select(OutboxMessage.outcome).order_by(OutboxMessage.id)))


async def run_until_sent(sandbox: Sandbox, sender: OutboxSender, limit: float = 10.0) -> float:
    """Run the sender until nothing is pending; returns the seconds it took."""
    started = time.monotonic()
    task = asyncio.create_task(sender.run())
    try:
        while await pending(sandbox):
            assert time.monotonic() - started < limit, "the outbox was not drained in time"
            assert not task.done(), task
            await asyncio.sleep(0.02)
        return time.monotonic() - started
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


def texts(sandbox: Sandbox, chat: int) -> list[str | None]:
    return [m.text or m.raw.get("caption") for m in sandbox.api.messages(TOKEN, chat)]


async def test_keeps_within_the_messengers_limits(
    outbox_sandbox: Sandbox, sender: OutboxSender
) -> None:
    sandbox = outbox_sandbox
    chats = open_chats(sandbox, 20)
    sandbox.api.enforce_limits(TOKEN, per_second=20, per_chat_interval=1.0)
    paced(sender, rate=20, chat_interval=1.0)
    await queue_notes(sandbox, chats, rounds=3)
    took = await run_until_sent(sandbox, sender)
    limiter = sandbox.api.limits(TOKEN)
    assert limiter.too_many == 0
    assert dict(limiter.delivered) == {chat: 3 for chat in chats}
    for chat in chats:
        assert texts(sandbox, chat) == ["note 0", "note 1", "note 2"]
        first, second, third = limiter.times[chat]
        assert second - first >= 1.0 and third - second >= 1.0
    assert took >= 59 / 20  # 60 messages at 20 a second
    assert await outcomes(sandbox) == ["sent"] * 60


async def test_a_429_stops_every_send_for_its_retry_after(
    outbox_sandbox: Sandbox, sender: OutboxSender
) -> None:
    sandbox = outbox_sandbox
    chats = open_chats(sandbox, 12)
    sandbox.api.enforce_limits(TOKEN, per_second=20, burst=4, per_chat_interval=0,
                               retry_after=1)
    paced(sender, rate=100)  # faster than the messenger allows
    await queue_notes(sandbox, chats)
    took = await run_until_sent(sandbox, sender)
    limiter = sandbox.api.limits(TOKEN)
    assert limiter.too_many >= 1 and took >= 1.0
    assert dict(limiter.delivered) == {chat: 1 for chat in chats}  # each once, none lost
    delivered_at = sorted(t for times in limiter.times.values() for t in times)
    for refused in limiter.refused_at:  # nothing went out during a pause (sends in flight aside)
        assert not [t for t in delivered_at if refused + 0.1 < t < refused + 0.95]
    assert limiter.too_many <= 2 * len(chats) / 4  # pausing, not hammering
    async with sandbox.app.session_factory() as session:
        attempts = list(await session.scalars(select(OutboxMessage.attempts)))
    assert attempts == [0] * 12 and await outcomes(sandbox) == ["sent"] * 12


async def test_news_overtakes_low_priority_rows(
    outbox_sandbox: Sandbox, sender: OutboxSender
) -> None:
    sandbox = outbox_sandbox
    sub = await submitted_application(sandbox, "telegram")
    chats = open_chats(sandbox, 50)
    paced(sender, rate=40)
    await queue_notes(sandbox, chats, priority=-10)
    task = asyncio.create_task(sender.run())
    try:
        deadline = time.monotonic() + 5
        while sum(1 for m, _ in sandbox.api.calls(TOKEN) if m == "sendMessage") < 5:
            assert time.monotonic() < deadline, "the backlog did not start"
            await asyncio.sleep(0.01)
        await applications(sandbox).take(sub.app_id, ADMIN)
        sender.wake.set()  # as Notifier.queued does in the running service
        while await pending(sandbox):
            assert time.monotonic() < deadline
            await asyncio.sleep(0.02)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    order = [str(p["chat_id"]) for m, p in sandbox.api.calls(TOKEN)
             if m == "sendMessage" and str(p["chat_id"]) != str(STAFF_GROUPS["telegram"])]
    assert len(order) == 51  # the staff group's new-submission alert aside
    assert order.index(str(sub.person.user.id)) < 15  # before most of the 50
    assert len([t for t in told(sub.person) if REVIEWING in t]) == 1


async def test_a_refused_row_and_its_outcome(
    outbox_sandbox: Sandbox, sender: OutboxSender
) -> None:
    sandbox = outbox_sandbox
    chats = open_chats(sandbox, 2)
    sandbox.api.fail_next(TOKEN, "sendMessage", status=400)
    await queue_notes(sandbox, chats)
    await run_until_sent(sandbox, sender)
    assert await outcomes(sandbox) == ["refused", "sent"]
    assert texts(sandbox, chats[0]) == [] and texts(sandbox, chats[1]) == ["note 0"]


async def test_quiet_hours_hold_news_until_morning_but_not_staff_alerts(
    outbox_sandbox: Sandbox, sender: OutboxSender
) -> None:
    sandbox = outbox_sandbox
    sub = await submitted_application(sandbox, "telegram")
    [staff_chat] = open_chats(sandbox, 1)
    sender.pacing = dataclasses.replace(
        sender.pacing, quiet=QuietHours.parse("22:00-07:00", "Asia/Tehran")
    )
    evening = dt.datetime(2030, 1, 10, 23, 0, tzinfo=TEHRAN)
    with time_machine.travel(evening, tick=True) as clock:
        await applications(sandbox).take(sub.app_id, ADMIN)  # application news
        await queue_notes(sandbox, [staff_chat])  # a row to a chat: a staff alert
        while await sender.drain_once():
            pass
        assert texts(sandbox, staff_chat) == ["note 0"]
        assert told(sub.person) == []
        async with sandbox.app.session_factory() as session:
            held = await session.scalar(
                select(OutboxMessage).where(OutboxMessage.person_id == sub.person_id)
            )
        assert held is not None and held.sent_at is None and held.outcome is None
        morning = dt.datetime(2030, 1, 11, 7, 0, tzinfo=TEHRAN)
        assert held.not_before.replace(tzinfo=dt.UTC) == morning
        clock.move_to(morning - dt.timedelta(minutes=1))
        assert await sender.drain_once() is False
        assert told(sub.person) == []
        clock.move_to(morning + dt.timedelta(seconds=1))
        assert await sender.drain_once() is True
    said = told(sub.person)
    assert len(said) == 1 and REVIEWING in said[0]


async def test_a_paused_broadcast_waits_and_a_cancelled_one_ends(
    outbox_sandbox: Sandbox, sender: OutboxSender
) -> None:
    sandbox = outbox_sandbox
    [chat] = open_chats(sandbox, 1)
    async with sandbox.app.session_factory() as session:
        paused = Broadcast(request_key="k1", author_platform="telegram", author_user_id=1,
                           author_chat_id=1, state="paused")
        session.add(paused)
        await session.commit()
        broadcast_id = paused.id
    await queue_notes(sandbox, [chat], rounds=3, priority=-5, broadcast_id=broadcast_id)
    outbox = sandbox.app.services.outbox_service
    assert await sender.drain_once() is False
    assert await outbox.counts_by_outcome(broadcast_id) == {"pending": 3}
    assert await outbox.due_count() == 0  # a paused broadcast's rows are not due
    async with sandbox.app.session_factory() as session:
        await session.execute(
            update(Broadcast).where(Broadcast.id == broadcast_id).values(state="sending")
        )
        await session.commit()
    assert await sender.drain_once() is True  # one row per recipient per pass
    assert await outbox.counts_by_outcome(broadcast_id) == {"sent": 1, "pending": 2}
    assert await outbox.cancel_broadcast(broadcast_id) == 2
    assert await outbox.counts_by_outcome(broadcast_id) == {"sent": 1, "cancelled": 2}
    assert await sender.drain_once() is False
    assert texts(sandbox, chat) == ["note 0"]


async def test_a_photo_is_uploaded_once_then_sent_by_file_id_with_buttons(
    outbox_sandbox: Sandbox, sender: OutboxSender
) -> None:
    sandbox = outbox_sandbox
    chats = open_chats(sandbox, 3)
    loads = []
    png = bytes.fromhex(
        "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
        "0000000d4944415478da63fcffff3f0005fe02fea7d6a4c50000000049454e44ae426082"
    )

    async def load() -> bytes:
        loads.append(1)
        return png

    def keyboard() -> InlineKeyboardMarkup:
        label = f"stop ({get_i18n().current_locale})"
        return InlineKeyboardMarkup(
            inline_keyboard=[[InlineKeyboardButton(text=label, callback_data="stop")]]
        )

    async def picture(item: OutboxItem) -> Outgoing:
        return Outgoing(lambda: "news", Media("photo", "b1", "b1.png", load), keyboard)

    sender.wordings = {**sender.wordings, "picture": picture}
    await queue_notes(sandbox, chats, kind="picture")
    await run_until_sent(sandbox, sender)
    assert loads == [1]
    sent = [p for m, p in sandbox.api.calls(TOKEN) if m == "sendPhoto"]
    assert len(sent) == 3
    file_id = sandbox.api.messages(TOKEN, chats[0])[0].raw["photo"][-1]["file_id"]
    assert [p.get("photo") for p in sent[1:]] == [file_id, file_id]
    for chat in chats:
        [message] = sandbox.api.messages(TOKEN, chat)
        assert message.raw.get("caption") == "news"
        assert sandbox.sent_texts("telegram", chat)[-1] == "stop (fa)"
