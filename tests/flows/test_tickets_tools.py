"""Staff commands on a ticket, as replies to the relayed message: /assign (me, another
caseworker, refusals), /canned (the list, a saved reply reaching the person, unknown key),
/ban and /unban (the person told once, messages kept and not relayed), and the refusals for
non-staff members and caseworkers of another province."""

from __future__ import annotations

from bot.sandbox.models import ChatMessage
from storage.models import TicketBan
from tests.flows.harness import Sandbox
from tests.flows.staff_steps import (
    add_caseworker,
    admin,
    person_id_of,
    staff_sandbox,
    staff_user,
)
from tests.flows.ticket_steps import (
    group_messages,
    person_texts,
    relayed_in_group,
    reply_in_group,
    ticket_messages,
    ticket_with_message,
    tickets_of,
)

__all__ = ["staff_sandbox"]


def _texts(said: list[ChatMessage]) -> str:
    return "\n".join(m.text or "" for m in said)


async def test_assign_to_me_and_to_a_caseworker(staff_sandbox: Sandbox, platform: str) -> None:
    box = staff_sandbox
    person, relayed = await ticket_with_message(box, platform)
    boss = admin(box, platform)
    said = await reply_in_group(boss, relayed.message_id, "/assign")
    assert f"is now with \u2068{boss.account}\u2069" in _texts(said), said
    [ticket] = await tickets_of(box, await person_id_of(box, person))
    assert ticket.assignee == boss.account

    tehran = staff_user(box, platform)
    await add_caseworker(boss, tehran, "تهران")
    said = await reply_in_group(boss, relayed.message_id, f"/assign {tehran.account}")
    assert tehran.account in _texts(said), said
    [ticket] = await tickets_of(box, ticket.person_id)
    assert ticket.assignee == tehran.account


async def test_assign_refusals(staff_sandbox: Sandbox, platform: str) -> None:
    box = staff_sandbox
    person, relayed = await ticket_with_message(box, platform)
    boss = admin(box, platform)
    isfahan = staff_user(box, platform)
    await add_caseworker(boss, isfahan, "اصفهان")
    stranger = staff_user(box, platform)

    said = await reply_in_group(boss, relayed.message_id, f"/assign {isfahan.account}")
    assert "does not work on this beneficiary's province" in _texts(said), said
    said = await reply_in_group(boss, relayed.message_id, f"/assign {stranger.account}")
    assert "is not a caseworker" in _texts(said), said
    said = await reply_in_group(boss, relayed.message_id, "/assign someone")
    assert "/assign telegram:123" in _texts(said), said
    said = await reply_in_group(isfahan, relayed.message_id, "/assign")  # not their province
    assert "not in your provinces" in _texts(said), said
    said = await reply_in_group(stranger, relayed.message_id, "/assign")
    assert "for staff members only" in _texts(said), said
    [ticket] = await tickets_of(box, await person_id_of(box, person))
    assert ticket.assignee is None


async def test_canned_reply_reaches_the_person(staff_sandbox: Sandbox, platform: str) -> None:
    box = staff_sandbox
    person, relayed = await ticket_with_message(box, platform)
    boss = admin(box, platform).in_group()
    listing = _texts(await boss.send("/canned"))
    assert "greeting" in listing and "سلام. پیام شما را دیدم" in listing, listing

    said = await reply_in_group(boss, relayed.message_id, "/canned greeting")
    assert "sent" in _texts(said), said
    text = "سلام. پیام شما را دیدم و پیگیری می‌کنم."
    assert f"👤 Caseworker:\n{text}" in person_texts(person)
    [ticket] = await tickets_of(box, await person_id_of(box, person))
    assert [(m.direction, m.text) for m in await ticket_messages(box, ticket.id)][-1] == (
        "out", text,
    )
    assert ticket.status == "waiting"

    seen = person_texts(person)
    said = await reply_in_group(boss, relayed.message_id, "/canned nosuchkey")
    assert "No saved reply has that name" in _texts(said) and "greeting" in _texts(said)
    assert person_texts(person) == seen


async def test_ban_then_unban(staff_sandbox: Sandbox, platform: str) -> None:
    box = staff_sandbox
    person, relayed = await ticket_with_message(box, platform)
    boss = admin(box, platform)
    said = await reply_in_group(boss, relayed.message_id, "/ban")
    assert "and the reason, e.g." in _texts(said), said

    said = await reply_in_group(boss, relayed.message_id, "/ban insults")
    assert "no longer relayed" in _texts(said), said
    person_id = await person_id_of(box, person)
    async with box.app.session_factory() as session:
        ban = await session.get(TicketBan, person_id)
    assert ban is not None and ban.reason == "insults" and ban.banned_by == boss.account

    posts = len(group_messages(box, platform))
    await person.send("Are you there?")
    await person.send("Hello again?")
    told = [t for t in person_texts(person) if "cannot be sent to a caseworker" in t]
    assert len(told) == 1, person_texts(person)
    assert len(group_messages(box, platform)) == posts
    [ticket] = await tickets_of(box, person_id)
    kept = [m.text for m in await ticket_messages(box, ticket.id) if m.direction == "in"]
    assert kept[-2:] == ["Are you there?", "Hello again?"]

    said = await reply_in_group(boss, relayed.message_id, "/unban")
    assert "relayed again" in _texts(said), said
    await person.send("Back again")
    relayed_in_group(box, platform, "Back again")
    said = await reply_in_group(boss, relayed.message_id, "/unban")
    assert "is not banned" in _texts(said), said


async def test_ban_refused_outside_the_province(staff_sandbox: Sandbox, platform: str) -> None:
    box = staff_sandbox
    person, relayed = await ticket_with_message(box, platform)
    isfahan = staff_user(box, platform)
    await add_caseworker(admin(box, platform), isfahan, "اصفهان")
    said = await reply_in_group(isfahan, relayed.message_id, "/ban spam")
    assert "not in your provinces" in _texts(said), said
    stranger = staff_user(box, platform)
    said = await reply_in_group(stranger, relayed.message_id, "/ban spam")
    assert "for staff members only" in _texts(said), said
    async with box.app.session_factory() as session:
        assert await session.get(TicketBan, await person_id_of(box, person)) is None
