"""The hand-off's durability: a messenger's 500 during a relay is retried until delivered; no
staff chat means the person is told and the message kept; a ticket closed lately is reopened;
two first messages at once make one ticket."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select, update

from services.tickets import Incoming, PersonOutcome
from storage.models import OutboxMessage, Ticket, utcnow
from storage.repositories.tickets import TicketRepository
from tests.flows.harness import TOKENS, Sandbox
from tests.flows.staff_steps import ADMIN_IDS, admin, beneficiary, person_id_of, sandbox_with_admins
from tests.flows.ticket_steps import (
    group_messages,
    open_ticket,
    relayed_in_group,
    reply_in_group,
    ticket_messages,
    tickets_of,
)
from tests.sample_files import jpeg_file

ADMINS = ",".join(f"{platform}:{user_id}" for platform, user_id in ADMIN_IDS.items())


@pytest.fixture
async def quick_retry_sandbox(
    database_url: str, database_kind: str, request: pytest.FixtureRequest
) -> AsyncIterator[Sandbox]:
    async with sandbox_with_admins(
        ADMINS, database_url, database_kind, request, outbox_backoff_seconds=0.05
    ) as box:
        yield box


async def test_a_500_during_the_relay_is_retried(
    quick_retry_sandbox: Sandbox, platform: str
) -> None:
    box = quick_retry_sandbox
    person = await beneficiary(box, platform)
    await open_ticket(person)
    # A photo: the relay is the only sendPhoto (the acknowledgement is a sendMessage).
    box.api.fail_next(TOKENS[platform], "sendPhoto", status=500, times=2)  # type: ignore[index]
    box.api.user_sends(person.token, person.user, photo=jpeg_file("x"), caption="Please look")
    await box.pump(platform)  # type: ignore[arg-type]
    for _ in range(100):  # the retries wait their backoff: not due while pump looks
        captions = [m.raw.get("caption") or "" for m in group_messages(box, platform)]
        if any("Please look" in caption for caption in captions):
            break
        await asyncio.sleep(0.05)
    relayed = relayed_in_group(box, platform, "Please look")
    async with box.app.session_factory() as session:
        row = await session.scalar(
            select(OutboxMessage).where(OutboxMessage.kind == "ticket_to_staff")
        )
    assert row is not None and row.attempts == 2 and row.last_error, row
    [ticket] = await tickets_of(box, await person_id_of(box, person))
    [kept] = await ticket_messages(box, ticket.id)
    assert kept.relayed_message_id == relayed.message_id


async def test_no_staff_chat_the_person_is_told_and_the_message_kept(
    database_url: str, database_kind: str, request: pytest.FixtureRequest, platform: str
) -> None:
    async with sandbox_with_admins(
        ADMINS, database_url, database_kind, request,
        staff_chat_telegram=None, staff_chat_bale=None,
    ) as box:
        person = await beneficiary(box, platform)
        await open_ticket(person)
        await person.send("Is anybody there?")
        assert "no caseworker can answer right now" in (person.last().text or "")
        [ticket] = await tickets_of(box, await person_id_of(box, person))
        [kept] = await ticket_messages(box, ticket.id)
        assert kept.text == "Is anybody there?" and kept.relayed_message_id is None
        assert group_messages(box, platform) == []


async def test_a_ticket_closed_lately_is_reopened(
    quick_retry_sandbox: Sandbox, platform: str
) -> None:
    box = quick_retry_sandbox
    person = await beneficiary(box, platform)
    await open_ticket(person)
    await person.send("First question")
    relayed = relayed_in_group(box, platform, "First question")
    await reply_in_group(admin(box, platform), relayed.message_id, "/close")
    [first] = await tickets_of(box, await person_id_of(box, person))
    assert first.closed_at is not None

    await open_ticket(person)
    await person.send("One more thing")
    relayed_in_group(box, platform, "One more thing")
    [again] = await tickets_of(box, await person_id_of(box, person))
    assert again.id == first.id and again.closed_at is None

    # Closed longer ago than TICKET_REOPEN_DAYS: a new ticket.
    await person.send("/cancel")
    async with box.app.session_factory() as session:
        await session.execute(update(Ticket).values(closed_at=utcnow() - dt.timedelta(days=8)))
        await session.commit()
    await open_ticket(person)
    tickets = await tickets_of(box, await person_id_of(box, person))
    assert [t.id == first.id for t in tickets] == [True, False]


async def test_two_first_messages_at_once_make_one_ticket(
    quick_retry_sandbox: Sandbox, platform: str, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    box = quick_retry_sandbox
    person = await beneficiary(box, platform)
    person_id = await person_id_of(box, person)
    service = box.app.services.ticket_service
    # Both requests look for an open ticket before either adds one: the race, every time.
    both_looked = asyncio.Barrier(2)
    looks = 0
    real_open_of = TicketRepository.open_of

    async def open_of_together(repo: TicketRepository, of_person: int) -> Ticket | None:
        nonlocal looks
        found = await real_open_of(repo, of_person)
        looks += 1
        if looks <= 2:
            await asyncio.wait_for(both_looked.wait(), 5)
        return found

    monkeypatch.setattr(TicketRepository, "open_of", open_of_together)
    caplog.set_level(logging.INFO, logger="services.tickets.service")
    results = await asyncio.gather(*(
        service.from_person(
            person_id, platform, Incoming("text", f"hello {n}", platform, person.user.id, n)
        )
        for n in (1, 2)
    ))
    assert {r.outcome for r in results} == {PersonOutcome.RELAYED}
    [ticket] = await tickets_of(box, person_id)
    assert {r.ticket_id for r in results} == {ticket.id}
    assert sorted(m.text or "" for m in await ticket_messages(box, ticket.id)) == [
        "hello 1", "hello 2",
    ]
    assert "a ticket opened at the same moment" in caplog.text  # the loser reused the winner's
    monkeypatch.setattr(TicketRepository, "open_of", real_open_of)
    other_id = await person_id_of(box, await beneficiary(box, platform))
    opened = await asyncio.gather(*(service.open_ticket(other_id, "job") for _ in range(3)))
    assert len({o.ticket_id for o in opened}) == 1
    assert len(await tickets_of(box, other_id)) == 1
