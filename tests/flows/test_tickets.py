"""The hand-off round trip on both messengers: a beneficiary's words reach the staff group with
the ticket's header, a caseworker's reply to them reaches the beneficiary, every message kept."""

from __future__ import annotations

from tests.flows.counseling_steps import (
    IT_PERSON,
    answer_all,
    open_counseling,
    seed_counseling_courses,
)
from tests.flows.harness import TOKENS, Sandbox
from tests.flows.staff_steps import (
    StaffUser,
    admin,
    beneficiary,
    person_id_of,
    staff_sandbox,
)
from tests.flows.steps import english, press_widget, register
from tests.flows.ticket_steps import (
    group_messages,
    open_ticket,
    person_texts,
    relayed_in_group,
    reply_in_group,
    ticket_messages,
    tickets_of,
)
from tests.sample_files import jpeg_file

__all__ = ["staff_sandbox"]


async def test_text_round_trip(staff_sandbox: Sandbox, platform: str) -> None:
    box = staff_sandbox
    person = await beneficiary(box, platform)
    await open_ticket(person)
    answer = await person.send("Where are my documents?")
    assert any("sent to a caseworker" in (m.text or "") for m in answer), person.screen()

    relayed = relayed_in_group(box, platform, "Where are my documents?")
    header = (relayed.text or "").splitlines()[0]
    assert header.startswith("🎫 #") and header.endswith("Zahra Ahmadi · مدارک · تهران"), header

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


async def test_photo_both_ways(staff_sandbox: Sandbox, platform: str) -> None:
    box = staff_sandbox
    person = await beneficiary(box, platform)
    await open_ticket(person)
    box.api.user_sends(person.token, person.user, photo=jpeg_file("card"), caption="My card")
    await box.pump(platform)  # type: ignore[arg-type]

    relayed = relayed_in_group(box, platform, "My card")
    assert relayed.raw.get("photo"), relayed.raw  # the picture itself, not only its caption

    boss = admin(box, platform)
    await reply_in_group(boss, relayed.message_id, photo=jpeg_file("stamp"), caption="Stamped")
    back = [m for m in person.messages() if m.outgoing and m.raw.get("photo")]
    assert [m.raw.get("caption") for m in back] == ["👤 Caseworker:\nStamped"]


async def test_a_sticker_is_answered_not_relayed(staff_sandbox: Sandbox, platform: str) -> None:
    box = staff_sandbox
    person = await beneficiary(box, platform)
    await open_ticket(person)
    before = len(group_messages(box, platform))
    box.api.user_sends(person.token, person.user, sticker=True)
    await box.pump(platform)  # type: ignore[arg-type]
    assert "You can send text, a photo, a file or a voice message." in (person.last().text or "")
    assert len(group_messages(box, platform)) == before
    [ticket] = await tickets_of(box, await person_id_of(box, person))
    assert await ticket_messages(box, ticket.id) == []


async def test_menu_buttons_still_work_in_a_ticket(staff_sandbox: Sandbox, platform: str) -> None:
    box = staff_sandbox
    person = await beneficiary(box, platform)
    await open_ticket(person)
    await person.send("❓ Help")
    assert "/start" in (person.last().text or ""), person.screen()
    [ticket] = await tickets_of(box, await person_id_of(box, person))
    assert await ticket_messages(box, ticket.id) == []  # the menu press was not relayed


async def test_from_the_counseling_result(sandbox: Sandbox, platform: str) -> None:
    await seed_counseling_courses(sandbox)
    person = english(sandbox, platform)
    await register(person)
    await open_counseling(person)
    await answer_all(person, IT_PERSON)
    await press_widget(person, "handoff")
    assert "write your message" in (person.last().text or ""), person.screen()

    await person.send("Which field suits me?")
    relayed = relayed_in_group(sandbox, platform, "Which field suits me?")
    # The staff group reads the default language (Persian).
    assert "مشاوره شغلی" in (relayed.text or "").splitlines()[0], relayed.text
    [ticket] = await tickets_of(sandbox, await person_id_of(sandbox, person))
    assert ticket.topic == "counseling"


async def test_a_bale_staff_chat_serves_a_telegram_beneficiary(staff_sandbox: Sandbox) -> None:
    """One staff chat may serve both messengers: Tehran is bound to a Bale group; a Telegram
    person's words and photo reach it (the photo downloaded from Telegram and uploaded to
    Bale), and a reply there reaches the person on Telegram."""
    box = staff_sandbox
    group = -1002000077
    box.api.create_group(TOKENS["bale"], group, "کارشناسان تهران")
    boss = admin(box, "bale")
    await StaffUser(boss.person, group).send("/bindchat تهران")
    assert "تهران" in StaffUser(boss.person, group).last_text()

    person = await beneficiary(box, "telegram")
    await open_ticket(person)
    await person.send("Hello from Telegram")
    box.api.user_sends(person.token, person.user, photo=jpeg_file("card"), caption="My card")
    await box.pump("telegram")
    await box.outbox_settled()
    posted = [m for m in box.api.messages(TOKENS["bale"], group) if m.outgoing]
    [words] = [m for m in posted if "Hello from Telegram" in (m.text or "")]
    [photo] = [m for m in posted if "My card" in (m.raw.get("caption") or "")]
    assert (words.text or "").startswith("🎫") and photo.raw.get("photo"), posted
    assert group_messages(box, "telegram") == []  # the default group hears nothing

    box.api.user_sends(TOKENS["bale"], boss.person.user, text="Answer from Bale", chat_id=group,
                       reply_to_message_id=words.message_id)
    await box.pump("bale")
    await box.outbox_settled()
    assert "👤 Caseworker:\nAnswer from Bale" in person_texts(person)
