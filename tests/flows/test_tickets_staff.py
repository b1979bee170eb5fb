"""The caseworkers' side of the hand-off: a reply to anything but a relayed message sends
nothing; notes stay among staff; /close asks the person for a rating that only they can give;
a caseworker of another province cannot answer; a non-staff member's reply is ignored."""

from __future__ import annotations

from tests.flows.harness import Sandbox
from tests.flows.staff_steps import (
    add_caseworker,
    admin,
    beneficiary,
    person_id_of,
    staff_sandbox,
    staff_user,
)
from tests.flows.ticket_steps import (
    group_messages,
    person_texts,
    reply_in_group,
    ticket_messages,
    ticket_with_message,
    tickets_of,
)

__all__ = ["staff_sandbox"]


async def test_reply_to_another_message_sends_nothing(
    staff_sandbox: Sandbox, platform: str
) -> None:
    box = staff_sandbox
    person, _ = await ticket_with_message(box, platform)
    boss = admin(box, platform).in_group()
    await boss.send("/help")
    help_message = group_messages(box, platform)[-1]
    seen_by_person = person_texts(person)

    said = await reply_in_group(boss, help_message.message_id, "Is this the answer?")
    assert any("reply to their message" in (m.text or "") for m in said), said
    assert person_texts(person) == seen_by_person
    [ticket] = await tickets_of(box, await person_id_of(box, person))
    assert [m.direction for m in await ticket_messages(box, ticket.id)] == ["in"]


async def test_note_never_reaches_the_person(staff_sandbox: Sandbox, platform: str) -> None:
    box = staff_sandbox
    person, relayed = await ticket_with_message(box, platform)
    seen_by_person = person_texts(person)
    said = await reply_in_group(admin(box, platform), relayed.message_id, "/note called her twice")
    assert any("Note saved" in (m.text or "") for m in said), said
    assert person_texts(person) == seen_by_person
    [ticket] = await tickets_of(box, await person_id_of(box, person))
    rows = await ticket_messages(box, ticket.id)
    assert [(m.direction, m.text) for m in rows][-1] == ("note", "called her twice")


async def test_close_rate_and_comment(staff_sandbox: Sandbox, platform: str) -> None:
    box = staff_sandbox
    person, relayed = await ticket_with_message(box, platform)
    said = await reply_in_group(admin(box, platform), relayed.message_id, "/close")
    assert any("closed" in (m.text or "") for m in said), said
    assert "How helpful was it?" in (person.last().text or ""), person.screen()

    # Another person's forged press of this ticket's rating changes nothing.
    other = await beneficiary(box, platform)
    await other.send("/caseworker")
    [ticket] = await tickets_of(box, await person_id_of(box, person))
    await other.press_data(other.last().message_id, f"tkr:{ticket.id}:1", forge=True)
    answers = [p for m, p in box.api.calls(other.token) if m == "answerCallbackQuery"]
    assert "no longer works" in str(answers[-1].get("text")), answers[-1]
    [ticket] = await tickets_of(box, await person_id_of(box, person))
    assert ticket.rating is None

    await person.press("4⭐")
    await person.send("Very kind, thanks")
    [ticket] = await tickets_of(box, await person_id_of(box, person))
    assert ticket.closed_at is not None
    assert ticket.closed_by == f"{platform}:{admin(box, platform).user_id}"
    assert (ticket.rating, ticket.rating_comment) == (4, "Very kind, thanks")
    # A second press (or an old button) does not change the rating.
    await person.press("1⭐")
    [ticket] = await tickets_of(box, await person_id_of(box, person))
    assert ticket.rating == 4


async def test_caseworker_of_another_province_cannot_answer(
    staff_sandbox: Sandbox, platform: str
) -> None:
    box = staff_sandbox
    person, relayed = await ticket_with_message(box, platform)  # a Tehran beneficiary
    worker = staff_user(box, platform)
    await add_caseworker(admin(box, platform), worker, "اصفهان")
    seen_by_person = person_texts(person)
    said = await reply_in_group(worker, relayed.message_id, "I can answer that")
    assert any("not in your provinces" in (m.text or "") for m in said), said
    assert person_texts(person) == seen_by_person

    tehran = staff_user(box, platform)
    await add_caseworker(admin(box, platform), tehran, "تهران")
    await reply_in_group(tehran, relayed.message_id, "Tehran here")
    assert "👤 Caseworker:\nTehran here" in person_texts(person)


async def test_a_non_staff_reply_is_ignored(staff_sandbox: Sandbox, platform: str) -> None:
    box = staff_sandbox
    person, relayed = await ticket_with_message(box, platform)
    stranger = staff_user(box, platform)
    seen_by_person = person_texts(person)
    said = await reply_in_group(stranger, relayed.message_id, "hello from a stranger")
    assert said == [] and person_texts(person) == seen_by_person
    said = await reply_in_group(stranger, relayed.message_id, "/close")
    assert any("for staff members only" in (m.text or "") for m in said), said
    [ticket] = await tickets_of(box, await person_id_of(box, person))
    assert ticket.closed_at is None


async def test_a_caseworkers_sticker_is_answered_not_relayed(
    staff_sandbox: Sandbox, platform: str
) -> None:
    box = staff_sandbox
    person, relayed = await ticket_with_message(box, platform)
    boss = admin(box, platform)
    said = await reply_in_group(boss, relayed.message_id, sticker=True)
    assert any("cannot be relayed" in (m.text or "") for m in said), said
    await box.outbox_settled()
    assert not [t for t in person_texts(person) if "Caseworker" in t], person_texts(person)
