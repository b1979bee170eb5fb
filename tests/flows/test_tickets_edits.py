"""Edits of relayed messages: the person's edit, and a caseworker's edit of their reply. On
Telegram the relayed copy is edited in place; on Bale (edits may not show in place) a short new
message «✏️ …» with the new words answers the copy. The stored text and edited_at change."""

from __future__ import annotations

import time

from tests.flows.harness import STAFF_GROUPS, TOKENS, Sandbox
from tests.flows.staff_steps import admin, beneficiary, person_id_of, staff_sandbox
from tests.flows.ticket_steps import (
    group_messages,
    open_ticket,
    relayed_in_group,
    reply_in_group,
    ticket_messages,
    tickets_of,
)

__all__ = ["staff_sandbox"]


async def _edit(box: Sandbox, platform: str, chat_id: int, words: str, new: str) -> None:
    """The user edits their message `words` (as the messenger reports it: edited_message)."""
    token = TOKENS[platform]  # type: ignore[index]
    [message] = [
        m for m in box.api.chat_log(token, chat_id) if not m.outgoing and m.text == words
    ]
    message.raw["text"] = new
    box.api.enqueue(box.api.bot(token), {
        "edited_message": {**message.public(), "edit_date": int(time.time())},
    })
    await box.pump(platform)  # type: ignore[arg-type]


async def test_the_persons_edit_reaches_the_staff_chat(
    staff_sandbox: Sandbox, platform: str
) -> None:
    box = staff_sandbox
    person = await beneficiary(box, platform)
    await open_ticket(person)
    await person.send("I live in Karaj")
    copy = relayed_in_group(box, platform, "I live in Karaj")
    before = len(group_messages(box, platform))

    await _edit(box, platform, person.user.id, "I live in Karaj", "I live in Shahriar")

    [ticket] = await tickets_of(box, await person_id_of(box, person))
    [row] = await ticket_messages(box, ticket.id)
    assert row.text == "I live in Shahriar" and row.edited_at is not None
    after = group_messages(box, platform)
    edited_copy = next(m for m in after if m.message_id == copy.message_id)
    if platform == "telegram":
        assert (edited_copy.text or "").endswith("\nI live in Shahriar"), edited_copy.text
        assert len(after) == before
    else:
        assert (edited_copy.text or "").endswith("\nI live in Karaj")  # left as it was
        [note] = after[before:]
        assert (note.text or "").startswith("✏️") and note.text.endswith("\nI live in Shahriar")
        assert note.raw.get("reply_to_message", {}).get("message_id") == copy.message_id


async def test_a_caseworkers_edit_reaches_the_person(
    staff_sandbox: Sandbox, platform: str
) -> None:
    box = staff_sandbox
    person = await beneficiary(box, platform)
    await open_ticket(person)
    await person.send("When is the exam?")
    copy = relayed_in_group(box, platform, "When is the exam?")
    boss = admin(box, platform).in_group()
    await reply_in_group(boss, copy.message_id, "On Monday.")
    told = [m for m in person.messages() if m.outgoing and "On Monday." in (m.text or "")]
    assert len(told) == 1

    await _edit(box, platform, STAFF_GROUPS[platform], "On Monday.", "On Tuesday.")  # type: ignore[index]

    texts = [m.text or "" for m in person.messages() if m.outgoing]
    if platform == "telegram":
        assert "👤 Caseworker:\nOn Tuesday." in texts and "👤 Caseworker:\nOn Monday." not in texts
    else:
        assert "👤 Caseworker:\nOn Monday." in texts and "✏️ Edited:\nOn Tuesday." in texts
    [ticket] = await tickets_of(box, await person_id_of(box, person))
    rows = await ticket_messages(box, ticket.id)
    assert rows[-1].text == "On Tuesday." and rows[-1].edited_at is not None
