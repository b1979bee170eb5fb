"""Shared moves for the hand-off tests: a beneficiary opens a ticket through the menu; staff
reply in the staff group (harness STAFF_GROUPS) to the message the bot relayed there."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.sandbox.models import ChatMessage
from storage.models import Ticket, TicketMessage
from tests.flows.harness import STAFF_GROUPS, TOKENS, Person, Sandbox
from tests.flows.staff_steps import StaffUser, beneficiary


async def open_ticket(person: Person, topic_label: str = "Documents") -> None:
    await person.send("/caseworker")
    await person.press(topic_label)
    assert "write your message" in (person.last().text or ""), person.screen()


def group_messages(box: Sandbox, platform: str) -> list[ChatMessage]:
    """What the bot posted in the staff group, oldest first."""
    return [
        m for m in box.api.messages(TOKENS[platform], STAFF_GROUPS[platform])  # type: ignore[index]
        if m.outgoing and not m.deleted
    ]


def relayed_in_group(box: Sandbox, platform: str, words: str) -> ChatMessage:
    for message in reversed(group_messages(box, platform)):
        text = message.text or message.raw.get("caption") or ""
        if words in text and text.startswith("🎫"):
            return message
    raise AssertionError(f"nothing relayed with {words!r}: {group_messages(box, platform)}")


async def reply_in_group(
    staff: StaffUser, message_id: int, text: str | None = None, **kwargs: Any
) -> list[ChatMessage]:
    """`staff` replies in the staff group to `message_id`; returns what the bot said there."""
    box = staff.person.sandbox
    platform = staff.person.platform
    group = STAFF_GROUPS[platform]
    before = {m.message_id for m in box.api.messages(staff.token, group)}
    staff.api.user_sends(
        staff.token, staff.person.user, text=text, chat_id=group, reply_to_message_id=message_id,
        **kwargs,
    )
    await box.pump(platform)
    return [
        m for m in box.api.messages(staff.token, group)
        if m.outgoing and m.message_id not in before
    ]


def person_texts(person: Person) -> list[str]:
    return [
        m.text or m.raw.get("caption") or "" for m in person.messages() if m.outgoing
    ]


async def tickets_of(box: Sandbox, person_id: int) -> list[Ticket]:
    async with box.app.session_factory() as session:
        return list(await session.scalars(
            select(Ticket).where(Ticket.person_id == person_id).order_by(Ticket.id)
        ))


async def ticket_messages(box: Sandbox, ticket_id: int) -> list[TicketMessage]:
    async with box.app.session_factory() as session:
        return list(await session.scalars(
            select(TicketMessage).where(TicketMessage.ticket_id == ticket_id)
            .order_by(TicketMessage.id)
        ))


async def ticket_with_message(
    box: Sandbox, platform: str, words: str = "Help me please"
) -> tuple[Person, ChatMessage]:
    """A registered beneficiary with an open ticket whose first words were relayed: the person
    and the staff group's copy of the words."""
    person = await beneficiary(box, platform)
    await open_ticket(person)
    await person.send(words)
    return person, relayed_in_group(box, platform, words)
