"""The outbox: a staff decision's message is saved with the decision and sent by the running
sender, which survives 5xx, honours 429, records 403, gives up after N attempts, and shares each
bot token with no other sender (the lease)."""

from __future__ import annotations

import asyncio
import time

from sqlalchemy import select

from bot.serving.outbox import build_sender
from services.applications import Status
from services.staff import StaffMember
from storage.models import MessengerAccount, OutboxLease, OutboxMessage
from tests.flows.harness import TOKENS, Sandbox
from tests.flows.staff_steps import applications, submitted_application, told

ADMIN = StaffMember(platform="telegram", user_id=1, is_admin=True, is_caseworker=False,
                    provinces=None)
REVIEWING = "reviewing your application"


async def rows_of(sandbox: Sandbox, person_id: int) -> list[OutboxMessage]:
    async with sandbox.app.session_factory() as session:
        return list(await session.scalars(
            select(OutboxMessage).where(OutboxMessage.person_id == person_id)
            .order_by(OutboxMessage.id)
        ))


async def finished(sandbox: Sandbox, person_id: int) -> OutboxMessage:
    """The person's only outbox row once it is sent or given up."""
    deadline = time.monotonic() + 15.0
    while True:
        rows = await rows_of(sandbox, person_id)
        assert len(rows) == 1, rows
        if rows[0].sent_at is not None or rows[0].given_up_at is not None:
            return rows[0]
        assert time.monotonic() < deadline, "the row was never finished"
        await asyncio.sleep(0.05)


async def test_a_decision_survives_failures_to_send(outbox_sandbox: Sandbox) -> None:
    sandbox = outbox_sandbox
    sub = await submitted_application(sandbox, "telegram")
    sandbox.api.fail_next(TOKENS["telegram"], "sendMessage", status=500, times=2)
    notification = await applications(sandbox).take(sub.app_id, ADMIN)
    assert notification.queued == 1
    row = await finished(sandbox, sub.person_id)
    assert row.sent_at is not None and row.given_up_at is None
    assert row.attempts == 2 and "Internal Server Error" in (row.last_error or "")
    assert row.outcome == "sent"
    assert [t for t in told(sub.person) if REVIEWING in t] == [told(sub.person)[-1]]
    assert len(told(sub.person)) == 1, told(sub.person)
    view = await applications(sandbox).get_for_person(sub.app_id, sub.person_id)
    assert view is not None and view.status is Status.UNDER_REVIEW


async def test_a_429_pauses_the_sender_then_delivers(outbox_sandbox: Sandbox) -> None:
    sandbox = outbox_sandbox
    sub = await submitted_application(sandbox, "bale")
    # Three 429s, each reaching the sender (its sends are not retried by the request
    # middleware), which pauses for each.
    sandbox.api.fail_next(TOKENS["bale"], "sendMessage", status=429, retry_after=1, times=3)
    started = time.monotonic()
    await applications(sandbox).take(sub.app_id, ADMIN)
    row = await finished(sandbox, sub.person_id)
    assert time.monotonic() - started >= 2.9  # 3 × 1 s
    assert row.sent_at is not None and row.attempts == 0  # a 429 is not a failed attempt
    assert row.outcome == "sent"
    assert len(told(sub.person)) == 1 and REVIEWING in told(sub.person)[0]


async def test_a_403_marks_the_account_blocked_and_ends_the_row(
    outbox_sandbox: Sandbox,
) -> None:
    sandbox = outbox_sandbox
    sub = await submitted_application(sandbox, "telegram")
    sandbox.api.block(TOKENS["telegram"], sub.person.user.id)
    await applications(sandbox).take(sub.app_id, ADMIN)
    row = await finished(sandbox, sub.person_id)
    assert row.sent_at is not None and row.last_error == "blocked"
    assert row.outcome == "blocked"
    async with sandbox.app.session_factory() as session:
        blocked_at = await session.scalar(
            select(MessengerAccount.blocked_at).where(
                MessengerAccount.platform == "telegram",
                MessengerAccount.user_id == sub.person.user.id,
            )
        )
    assert blocked_at is not None
    assert told(sub.person) == []
    # Blocked now: the next decision queues nothing and says so.
    assert (await applications(sandbox).approve(sub.app_id, ADMIN)).queued == 0


async def test_gives_up_after_the_set_attempts_with_the_error(outbox_sandbox: Sandbox) -> None:
    sandbox = outbox_sandbox
    sub = await submitted_application(sandbox, "telegram")
    sandbox.api.fail_next(TOKENS["telegram"], "sendMessage", status=502, times=10)
    await applications(sandbox).take(sub.app_id, ADMIN)
    row = await finished(sandbox, sub.person_id)
    assert row.given_up_at is not None and row.sent_at is None
    assert row.attempts == 3 and "Bad Gateway" in (row.last_error or "")
    assert row.outcome == "failed"
    assert told(sub.person) == []


async def test_one_sender_per_token_and_a_takeover(outbox_sandbox: Sandbox) -> None:
    sandbox = outbox_sandbox
    await sandbox._stop_senders()  # two senders of our own instead
    first = build_sender(sandbox.app, "telegram", holder="worker-a")
    second = build_sender(sandbox.app, "telegram", holder="worker-b")
    subs = [await submitted_application(sandbox, "telegram") for _ in range(3)]
    for sub in subs:
        await applications(sandbox).take(sub.app_id, ADMIN)
    assert await first.drain_once() is True
    assert await second.drain_once() is False  # the lease is worker-a's
    for sub in subs:
        assert (await finished(sandbox, sub.person_id)).sent_at is not None
        assert len(told(sub.person)) == 1, told(sub.person)

    # Both running: still one message per decision.
    tasks = [asyncio.create_task(s.run()) for s in (first, second)]
    later = await submitted_application(sandbox, "telegram")
    await applications(sandbox).take(later.app_id, ADMIN)
    await finished(sandbox, later.person_id)
    # worker-a stops (its lease is released on the way out): worker-b takes over.
    tasks[0].cancel()
    await asyncio.gather(tasks[0], return_exceptions=True)
    last = await submitted_application(sandbox, "telegram")
    await applications(sandbox).take(last.app_id, ADMIN)
    await finished(sandbox, last.person_id)
    tasks[1].cancel()
    await asyncio.gather(tasks[1], return_exceptions=True)
    for sub in (*subs, later, last):
        assert len([t for t in told(sub.person) if REVIEWING in t]) == 1, told(sub.person)
    async with sandbox.app.session_factory() as session:
        holders = list(await session.scalars(select(OutboxLease.holder)))
    assert holders == ["worker-b"]


async def test_a_persons_messages_keep_their_order_through_a_retry(
    outbox_sandbox: Sandbox,
) -> None:
    sandbox = outbox_sandbox
    await sandbox._stop_senders()  # drive one sender pass by pass
    sender = build_sender(sandbox.app, "telegram", holder="worker-a")
    sub = await submitted_application(sandbox, "telegram")
    while await sender.drain_once():  # the staff group's new-submission alert
        pass
    service = applications(sandbox)
    await service.take(sub.app_id, ADMIN)
    view = await service.get_for_person(sub.app_id, sub.person_id)
    assert view is not None
    await service.accept_document(view.documents_of("national_card")[0].id, ADMIN)
    sandbox.api.fail_next(TOKENS["telegram"], "sendMessage", status=500)
    await sender.drain_once()  # the first fails and waits: the second must wait behind it
    assert told(sub.person) == []
    assert [r.sent_at for r in await rows_of(sandbox, sub.person_id)] == [None, None]
    await asyncio.sleep(0.1)  # past the backoff
    while await sender.drain_once():
        pass
    said = told(sub.person)
    assert len(said) == 2 and REVIEWING in said[0] and "accepted" in said[1], said
