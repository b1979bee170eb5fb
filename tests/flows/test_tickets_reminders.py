"""Unanswered tickets and undeliverable relays: one reminder in the staff chat past
TICKET_REMINDER_MINUTES (none when answered in time, a new one for a new wait), on a controlled
clock; a caseworker's reply to a person who blocked the bot is reported in the staff chat; a
staff chat that refuses the relay (the bot was removed) gets the person told once, the message
kept."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.flows.harness import TOKENS, Sandbox
from tests.flows.staff_steps import (
    SandboxFor,
    admin,
    beneficiary,
    person_id_of,
)
from tests.flows.ticket_steps import (
    group_messages,
    open_ticket,
    relayed_in_group,
    reply_in_group,
    ticket_messages,
    tickets_of,
)
from tests.sample_files import jpeg_file


def reminders(box: Sandbox, platform: str) -> list[str]:
    return [m.text or "" for m in group_messages(box, platform) if (m.text or "").startswith("⏰")]


async def test_one_reminder_per_unanswered_wait(sandbox_for: SandboxFor, platform: str) -> None:
    start = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    with time_machine.travel(start, tick=True) as clock:
        async with sandbox_for(ticket_reminder_minutes=60) as box:
            person = await beneficiary(box, platform)
            await open_ticket(person)
            await person.send("Anyone?")
            await person.send("Still here")  # the same wait: no second reminder
            relayed = relayed_in_group(box, platform, "Anyone?")
            clock.move_to(start + dt.timedelta(minutes=59))
            await box.outbox_settled()
            assert reminders(box, platform) == []

            clock.move_to(start + dt.timedelta(minutes=61))
            await box.outbox_settled()
            [ticket] = await tickets_of(box, await person_id_of(box, person))
            assert reminders(box, platform) == [
                f"⏰ گفتگوی #{ticket.id} ۶۰ دقیقه است که بی‌پاسخ مانده است.".replace(
                    str(ticket.id), _fa(ticket.id)
                )
            ]

            # Answered in time: no reminder for that wait.
            await reply_in_group(admin(box, platform), relayed.message_id, "Here")
            await person.send("Thanks, one more question")
            await reply_in_group(admin(box, platform), relayed.message_id, "Go on")
            clock.move_to(start + dt.timedelta(minutes=130))
            await box.outbox_settled()
            assert len(reminders(box, platform)) == 1

            # A new message after the answer, unanswered: a new reminder.
            await person.send("Hello?")
            clock.move_to(start + dt.timedelta(minutes=200))
            await box.outbox_settled()
            assert len(reminders(box, platform)) == 2
            [ticket] = await tickets_of(box, ticket.person_id)
            assert ticket.status == "open" and ticket.reminded_at is not None


async def test_reminders_off(sandbox_for: SandboxFor, platform: str) -> None:
    start = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    with time_machine.travel(start, tick=True) as clock:
        async with sandbox_for(ticket_reminder_minutes=0) as box:
            person = await beneficiary(box, platform)
            await open_ticket(person)
            await person.send("Anyone?")
            clock.move_to(start + dt.timedelta(days=1))
            await box.outbox_settled()
            relayed_in_group(box, platform, "Anyone?")
            assert reminders(box, platform) == []


async def test_reply_to_a_person_who_blocked_the_bot(
    sandbox_for: SandboxFor, platform: str
) -> None:
    async with sandbox_for() as box:
        person = await beneficiary(box, platform)
        await open_ticket(person)
        await person.send("Call me")
        relayed = relayed_in_group(box, platform, "Call me")
        box.api.block(person.token, person.user.id)
        boss = admin(box, platform)
        await reply_in_group(boss, relayed.message_id, "We will")
        told = [m.text or "" for m in group_messages(box, platform) if "blocked" in (m.text or "")
                or "مسدود" in (m.text or "")]
        assert len(told) == 1 and "ربات را مسدود کرده" in told[0], told
        # The account is now known blocked: the next reply is answered at once.
        said = await reply_in_group(boss, relayed.message_id, "Hello?")
        assert any("blocked the bot" in (m.text or "") for m in said), said
        [ticket] = await tickets_of(box, await person_id_of(box, person))
        outs = [m.text for m in await ticket_messages(box, ticket.id) if m.direction == "out"]
        assert outs == ["We will", "Hello?"]


@pytest.mark.parametrize("status, description", [
    (403, "Forbidden: bot was kicked from the supergroup chat"),
    (400, "Bad Request: chat not found"),
])
async def test_bot_removed_from_the_staff_chat(
    sandbox_for: SandboxFor, platform: str, status: int, description: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async with sandbox_for() as box:
        person = await beneficiary(box, platform)
        await open_ticket(person)
        token = TOKENS[platform]  # type: ignore[index]
        box.api.fail_next(token, "sendPhoto", status=status, description=description, times=2)
        for caption in ("First photo", "Second photo"):
            box.api.user_sends(person.token, person.user, photo=jpeg_file(caption),
                               caption=caption)
            await box.pump(platform)  # type: ignore[arg-type]
        busy = [m.text for m in person.messages()
                if m.outgoing and "caseworkers are busy" in (m.text or "")]
        assert len(busy) == 1, [m.text for m in person.messages()]
        [ticket] = await tickets_of(box, await person_id_of(box, person))
        kept = [m.text for m in await ticket_messages(box, ticket.id) if m.direction == "in"]
        assert kept == ["First photo", "Second photo"]
        assert f"ticket {ticket.id}: staff chat" in caplog.text
        assert "First photo" not in caplog.text  # ids only in the log


def _fa(number: int) -> str:
    return str(number).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
