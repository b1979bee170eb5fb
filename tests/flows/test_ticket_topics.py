"""Forum staff chats (Telegram): a ticket gets one topic, named with the person and the ticket,
opened with the profile card; the person's words land there without a header; a caseworker's
words there reach the person, /close closes ticket and topic, a reopened ticket comes back to
its topic; without the right to make topics the chat is used plainly."""

from __future__ import annotations

import logging

import pytest

from services.text import localize_digits
from tests.flows.harness import Sandbox
from tests.flows.staff_steps import (
    add_caseworker,
    admin,
    person_id_of,
    staff_sandbox,
    staff_user,
    submitted_application,
)
from tests.flows.ticket_steps import open_ticket, person_texts, relayed_in_group, tickets_of
from tests.flows.topic_steps import (
    GROUP,
    TOKEN,
    bot_said_in_topic,
    make_forum,
    topics,
    write_in_topic,
)

__all__ = ["staff_sandbox"]


async def test_one_topic_with_the_profile_card(staff_sandbox: Sandbox) -> None:
    box = staff_sandbox
    make_forum(box)
    submitted = await submitted_application(box, "telegram")
    person = submitted.person
    await open_ticket(person)
    await person.send("Where is my card?")
    await person.send("Any news?")

    [ticket] = await tickets_of(box, submitted.person_id)
    [topic] = topics(box)
    assert topic.name == "Zahra Ahmadi · #" + localize_digits(str(ticket.id), "fa")
    assert ticket.staff_thread_id == topic.message_thread_id
    card, first, second = bot_said_in_topic(box, topic.message_thread_id)
    assert "Zahra Ahmadi" in card
    async with box.app.session_factory() as session:
        from storage.models import Person

        stored = await session.get(Person, submitted.person_id)
        assert stored is not None and stored.national_code
    assert localize_digits(stored.national_code, "fa") in card
    assert localize_digits(submitted.tracking_code, "fa") in card or submitted.tracking_code in card
    # In its own topic a message needs no header.
    assert (first, second) == ("Where is my card?", "Any news?")


async def test_caseworker_writes_in_the_topic_and_closes_it(staff_sandbox: Sandbox) -> None:
    box = staff_sandbox
    make_forum(box)
    submitted = await submitted_application(box, "telegram")
    person = submitted.person
    await open_ticket(person)
    await person.send("Hello?")
    [topic] = topics(box)
    thread = topic.message_thread_id
    boss = admin(box, "telegram").in_group()

    said = await write_in_topic(boss, thread, "Hi, your card is ready")
    assert said == []  # relayed silently
    assert "👤 Caseworker:\nHi, your card is ready" in person_texts(person)

    said = await write_in_topic(boss, thread, "/close")
    assert any("closed" in (m.text or "") for m in said), said
    assert "How helpful was it?" in (person.last().text or ""), person.screen()
    [ticket] = await tickets_of(box, submitted.person_id)
    assert ticket.closed_at is not None
    assert topics(box)[0].closed

    # Opened again within TICKET_REOPEN_DAYS: the same ticket, the same topic, opened again.
    await open_ticket(person)
    await person.send("One more question")
    [again] = await tickets_of(box, submitted.person_id)
    assert again.id == ticket.id and again.closed_at is None
    [topic] = topics(box)
    assert not topic.closed and topic.message_thread_id == thread
    assert bot_said_in_topic(box, thread)[-1] == "One more question"


async def test_history_marks_notes_and_profile_shows_the_card(staff_sandbox: Sandbox) -> None:
    box = staff_sandbox
    make_forum(box)
    submitted = await submitted_application(box, "telegram")
    person = submitted.person
    await open_ticket(person)
    await person.send("I lost my papers")
    [topic] = topics(box)
    thread = topic.message_thread_id
    boss = admin(box, "telegram").in_group()
    await write_in_topic(boss, thread, "We will check")
    said = await write_in_topic(boss, thread, "/note called her twice")
    assert any("Note saved" in (m.text or "") for m in said), said
    assert not any("called her twice" in text for text in person_texts(person))

    said = await write_in_topic(boss, thread, "/history")
    [history] = [m.text or "" for m in said]
    lines = history.split("\n\n")
    assert any(line.startswith("📝 Note (not sent)") and "called her twice" in line
               for line in lines), history
    assert any(line.startswith("⬅️ Beneficiary") and "I lost my papers" in line
               for line in lines), history
    assert any(line.startswith("➡️ Caseworker") and "We will check" in line
               for line in lines), history
    assert not any(line.startswith("📝") and "We will check" in line for line in lines)

    said = await write_in_topic(boss, thread, "/profile")
    [card] = [m.text or "" for m in said]
    assert "Zahra Ahmadi" in card and "Hamnava" in card, card


async def test_no_right_to_make_topics_falls_back_to_plain(
    staff_sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    box = staff_sandbox
    make_forum(box)
    bot_id = box.api.bot(TOKEN).bot_id
    box.api.set_member(TOKEN, GROUP, bot_id, "member")
    submitted = await submitted_application(box, "telegram")
    person = submitted.person
    await open_ticket(person)
    with caplog.at_level(logging.WARNING):
        await person.send("First words")
        await person.send("Second words")
    assert topics(box) == []
    assert relayed_in_group(box, "telegram", "First words").text.startswith("🎫")  # type: ignore[union-attr]
    relayed_in_group(box, "telegram", "Second words")
    [ticket] = await tickets_of(box, await person_id_of(box, person))
    assert ticket.staff_thread_id is None
    refusals = [r for r in caplog.records if "no forum topic" in r.getMessage()]
    assert len(refusals) == 1, refusals


async def test_profile_and_history_by_reply_in_a_plain_group(
    staff_sandbox: Sandbox, platform: str
) -> None:
    from tests.flows.ticket_steps import reply_in_group

    box = staff_sandbox
    submitted = await submitted_application(box, platform)
    person = submitted.person
    await open_ticket(person)
    await person.send("Plain group question")
    relayed = relayed_in_group(box, platform, "Plain group question")

    said = await reply_in_group(admin(box, platform), relayed.message_id, "/profile")
    assert any("Zahra Ahmadi" in (m.text or "") for m in said), said
    said = await reply_in_group(admin(box, platform), relayed.message_id, "/history")
    assert any("Plain group question" in (m.text or "") for m in said), said

    # A caseworker of another province reads nothing of it.
    worker = staff_user(box, platform)
    await add_caseworker(admin(box, platform), worker, "اصفهان")
    said = await reply_in_group(worker, relayed.message_id, "/history")
    assert [m.text for m in said if "Plain group question" in (m.text or "")] == []
    assert any("not in your provinces" in (m.text or "") for m in said), said


async def test_the_person_ending_it_closes_the_topic(staff_sandbox: Sandbox) -> None:
    box = staff_sandbox
    make_forum(box)
    submitted = await submitted_application(box, "telegram")
    person = submitted.person
    await open_ticket(person)
    await person.send("Thanks, that is all")
    [topic] = topics(box)
    assert not topic.closed
    await person.press("✖️ End conversation")
    [topic] = topics(box)
    assert topic.closed
    # Told in the topic, in the staff group's language (Persian).
    assert "مددجو گفتگو را تمام کرد" in bot_said_in_topic(box, topic.message_thread_id)[-1]


async def test_a_second_topic_is_not_stored(staff_sandbox: Sandbox) -> None:
    box = staff_sandbox
    make_forum(box)
    submitted = await submitted_application(box, "telegram")
    await open_ticket(submitted.person)
    await submitted.person.send("Hello")
    [ticket] = await tickets_of(box, submitted.person_id)
    first = ticket.staff_thread_id
    assert first is not None
    # A second sender that made its own topic at the same moment loses: the first one stays.
    kept = await box.app.services.ticket_service.claim_thread(
        ticket.id, "telegram", GROUP, first + 1000
    )
    assert kept == first
    [ticket] = await tickets_of(box, submitted.person_id)
    assert ticket.staff_thread_id == first


async def test_a_long_history_comes_in_pages(staff_sandbox: Sandbox) -> None:
    from storage.models import TicketMessage

    box = staff_sandbox
    make_forum(box)
    submitted = await submitted_application(box, "telegram")
    await open_ticket(submitted.person)
    await submitted.person.send("The first words")
    [ticket] = await tickets_of(box, submitted.person_id)
    async with box.app.session_factory() as session:
        session.add_all(
            TicketMessage(ticket_id=ticket.id, direction="in", kind="text",
                          text=f"line {n} " + "و" * 300)
            for n in range(40)
        )
        await session.commit()
    assert ticket.staff_thread_id is not None
    said = await write_in_topic(admin(box, "telegram").in_group(), ticket.staff_thread_id,
                                "/history")
    pages = [m.text or "" for m in said]
    assert len(pages) >= 3, [len(p) for p in pages]
    assert all(len(page) <= 4096 for page in pages)
    assert "The first words" in pages[0] and "line 39 " in pages[-1]
    assert pages[0].endswith("Page 1 of " + str(len(pages)))


async def test_the_card_names_what_opened_the_ticket(staff_sandbox: Sandbox) -> None:
    box = staff_sandbox
    make_forum(box)
    submitted = await submitted_application(box, "telegram")
    # As a screen about one application opens it (the entry points pass their context).
    await box.app.services.ticket_service.open_ticket(
        submitted.person_id, "application", {"application_id": submitted.app_id}
    )
    await submitted.person.send("About my application")
    [ticket] = await tickets_of(box, submitted.person_id)
    assert ticket.staff_thread_id is not None
    said = await write_in_topic(admin(box, "telegram").in_group(), ticket.staff_thread_id,
                                "/profile")
    [card] = [m.text or "" for m in said]
    [about] = [line for line in card.splitlines() if line.startswith("About application:")]
    assert submitted.tracking_code in about, card
    assert "Subject: My application" in card, card
