"""The hand-off round trip on both messengers: a beneficiary's words reach the staff group with
the ticket's header, a caseworker's reply to them reaches the beneficiary, every message kept."""

from __future__ import annotations

from tests.flows.harness import Sandbox
from tests.flows.staff_steps import admin, beneficiary, person_id_of, staff_sandbox
from tests.flows.ticket_steps import (
    open_ticket,
    person_texts,
    relayed_in_group,
    reply_in_group,
    ticket_messages,
    tickets_of,
)

__all__ = ["staff_sandbox"]


async def test_text_round_trip(staff_sandbox: Sandbox, platform: str) -> None:
    box = staff_sandbox
    person = await beneficiary(box, platform)
    await open_ticket(person)
    answer = await person.send("Where are my documents?")
    assert any("sent to a caseworker" in (m.text or "") for m in answer), person.screen()

    relayed = relayed_in_group(box, platform, "Where are my documents?")
    header = (relayed.text or "").splitlines()[0]
    assert "Zahra Ahmadi" in header and "Documents" in header and "تهران" in header, header

    boss = admin(box, platform)
    said_in_group = await reply_in_group(boss, relayed.message_id, "They arrived on Monday.")
    assert said_in_group == []  # a relayed answer is not commented on in the group
    assert "👤 Caseworker:\nThey arrived on Monday." in person_texts(person)

    [ticket] = await tickets_of(box, await person_id_of(box, person))
    assert ticket.topic == "documents" and ticket.closed_at is None
    assert ticket.first_response_at is not None and ticket.last_person_at is not None
    rows = await ticket_messages(box, ticket.id)
    assert [(m.direction, m.text) for m in rows] == [
        ("in", "Where are my documents?"), ("out", "They arrived on Monday."),
    ]
    # Each was relayed, and the ids recorded are the ones the messengers gave.
    assert rows[0].relayed_message_id == relayed.message_id
    assert rows[1].relayed_chat_id == person.user.id and rows[1].relayed_message_id is not None
