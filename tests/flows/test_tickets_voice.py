"""A voice message crosses the hand-off in both directions, and a 429 from the messenger in the
middle of the relay delays it without losing or repeating it."""

from __future__ import annotations

from tests.flows.harness import Sandbox
from tests.flows.staff_steps import admin, beneficiary, staff_sandbox
from tests.flows.ticket_steps import group_messages, open_ticket, reply_in_group

__all__ = ["staff_sandbox"]


async def test_a_voice_message_both_ways_through_a_429(
    staff_sandbox: Sandbox, platform: str
) -> None:
    box = staff_sandbox
    person = await beneficiary(box, platform)
    await open_ticket(person)
    # The messenger refuses the relay once with "retry after 1 s": the sender waits and resends.
    box.api.fail_next(person.token, "sendVoice", status=429, retry_after=1)
    box.api.user_sends(person.token, person.user, voice=True)
    await box.pump(platform)  # type: ignore[arg-type]
    await box.outbox_settled()
    voices = [m for m in group_messages(box, platform) if m.raw.get("voice")]
    assert len(voices) == 1, group_messages(box, platform)
    assert "sendvoice" not in box.api.bot(person.token).failures  # the 429 was met and passed
    assert (voices[0].raw.get("caption") or "").startswith("🎫"), voices[0].raw

    boss = admin(box, platform)
    await reply_in_group(boss, voices[0].message_id, voice=True)
    await box.outbox_settled()
    back = [m for m in person.messages() if m.outgoing and m.raw.get("voice")]
    assert len(back) == 1, person.screen()
