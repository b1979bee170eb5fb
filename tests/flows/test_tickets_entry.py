"""«💬 Talk to a caseworker» from inside a screen: an application in My file, a course card, the
eligibility refusal. Each opens the ticket with its topic and context (no topic question), and
the staff header names what it is about."""

from __future__ import annotations

from services.text import LRI, PDI
from tests.flows.apply_steps import APPLY_LABEL, MY_FILE_LABEL
from tests.flows.course_steps import COURSES_LABEL, open_card
from tests.flows.harness import Person, Sandbox
from tests.flows.staff_steps import (
    admin,
    beneficiary,
    ensure_course,
    person_id_of,
    staff_sandbox,
    submitted_application,
)
from tests.flows.steps import current_widgets, press_widget
from tests.flows.ticket_steps import person_texts, relayed_in_group, reply_in_group, tickets_of

__all__ = ["staff_sandbox"]


async def _write(person: Person, words: str) -> None:
    # The topic question is skipped: the next words are the message.
    assert "write your message" in (person.last().text or ""), person.screen()
    assert "What is it about" not in (person.last().text or "")
    await person.send(words)


async def test_from_an_application_in_my_file(staff_sandbox: Sandbox, platform: str) -> None:
    box = staff_sandbox
    sub = await submitted_application(box, platform)
    person = sub.person
    await person.send(MY_FILE_LABEL)
    await press_widget(person, f"app:{sub.app_id}")
    await press_widget(person, "handoff")
    await _write(person, "When is the interview?")

    [ticket] = await tickets_of(box, sub.person_id)
    assert ticket.topic == "application" and ticket.context == {"application_id": sub.app_id}
    header = (relayed_in_group(box, platform, "When is the interview?").text or "").splitlines()[0]
    assert header.endswith(f"درخواست من · تهران · {LRI}{sub.tracking_code}{PDI}"), header


async def test_from_a_course_card(staff_sandbox: Sandbox, platform: str) -> None:
    box = staff_sandbox
    person = await beneficiary(box, platform)
    await ensure_course(box, "TKT101", "تهران")
    await person.send(COURSES_LABEL)
    await open_card(person, "TKT101")
    await press_widget(person, "handoff")
    await _write(person, "Is there a dormitory?")

    [ticket] = await tickets_of(box, await person_id_of(box, person))
    assert ticket.topic == "course" and ticket.context == {"course_code": "TKT101"}
    header = (relayed_in_group(box, platform, "Is there a dormitory?").text or "").splitlines()[0]
    assert header.endswith(f"دوره · تهران · {LRI}TKT101{PDI}"), header


async def test_from_the_eligibility_refusal(staff_sandbox: Sandbox, platform: str) -> None:
    box = staff_sandbox
    person = await beneficiary(box, platform, decile=8, relief_client=False)
    await box.app.services.account_service.refresh(platform, person.user.id)  # registered now
    await person.send(APPLY_LABEL)
    await press_widget(person, "program:hamnava")
    assert "cannot apply" in (person.last().text or ""), person.screen()
    await press_widget(person, "handoff")
    # The refusal screen is closed: the words go to the caseworker, not to a form.
    await _write(person, "My decile is wrong")

    [ticket] = await tickets_of(box, await person_id_of(box, person))
    assert ticket.topic == "application"
    assert ticket.context["program_id"] == "hamnava" and "decile" in str(ticket.context["unmet"])
    relayed = relayed_in_group(box, platform, "My decile is wrong")
    assert f"{LRI}hamnava{PDI}" in (relayed.text or "").splitlines()[0], relayed.text


async def test_reuses_the_open_ticket(staff_sandbox: Sandbox, platform: str) -> None:
    box = staff_sandbox
    person = await beneficiary(box, platform)
    await ensure_course(box, "TKT102", "تهران")
    await person.send("/caseworker")
    await person.press("Documents")
    await person.send(COURSES_LABEL)
    await open_card(person, "TKT102")
    assert "handoff" in current_widgets(person)
    await press_widget(person, "handoff")
    tickets = await tickets_of(box, await person_id_of(box, person))
    assert [(t.topic, t.context) for t in tickets] == [("course", {"course_code": "TKT102"})]


async def test_a_caseworker_messages_the_applicant_from_the_card(
    staff_sandbox: Sandbox, platform: str
) -> None:
    box = staff_sandbox
    sub = await submitted_application(box, platform)
    boss = admin(box, platform)
    await boss.send("/queue")
    await boss.press(sub.tracking_code)
    await boss.press("Message the applicant")
    assert "Type your message to the applicant" in boss.last_text(), boss.screen()
    await boss.send("Please call the center tomorrow.")
    assert "Sent to the applicant" in boss.last_text(), boss.screen()

    assert "👤 Caseworker:\nPlease call the center tomorrow." in person_texts(sub.person)
    [ticket] = await tickets_of(box, sub.person_id)
    assert ticket.topic == "application" and ticket.context == {"application_id": sub.app_id}
    copy = relayed_in_group(box, platform, "Please call the center tomorrow.")
    # The group reads Persian (its default language).
    assert "✉️ برای متقاضی فرستاده شد:\nPlease call" in (copy.text or ""), copy.text

    # The person's answer goes on in the same ticket; a reply to the copy reaches them too.
    await sub.person.send("I will, thank you")
    relayed_in_group(box, platform, "I will, thank you")
    await reply_in_group(boss.in_group(), copy.message_id, "Also bring your card.")
    assert "👤 Caseworker:\nAlso bring your card." in person_texts(sub.person)
    assert [t.id for t in await tickets_of(box, sub.person_id)] == [ticket.id]
