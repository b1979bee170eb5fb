"""Albums in a ticket: every item of an album (one media_group_id, one update each) is stored
and relayed in order, the person is acknowledged once, and the anti-flood middleware counts an
album once: 30 photos at once (three albums of ten) and loose photos all reach the staff chat
in order, while loose photos past the rate are still held back."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.sandbox.media import photo_sizes
from tests.flows.harness import Person, Sandbox
from tests.flows.staff_steps import (
    ADMIN_IDS,
    beneficiary,
    person_id_of,
    sandbox_with_admins,
)
from tests.flows.ticket_steps import group_messages, open_ticket, ticket_messages, tickets_of
from tests.sample_files import jpeg_file

# Opening the ticket takes 2 updates; 3 albums and 2 loose photos make 7; an 8th is allowed,
# the 9th is not.
RATE = 8


@pytest.fixture
async def flood_sandbox(
    database_url: str, database_kind: str, request: pytest.FixtureRequest
) -> AsyncIterator[Sandbox]:
    admins = ",".join(f"{platform}:{user_id}" for platform, user_id in ADMIN_IDS.items())
    async with sandbox_with_admins(
        admins, database_url, database_kind, request,
        throttle_rate=RATE, throttle_window_seconds=600,
    ) as box:
        yield box


def _queue_photo(person: Person, caption: str, group: str | None = None) -> None:
    """One photo, queued before the bot sees anything (as a messenger delivers an album)."""
    api = person.api
    state = api.bot(person.token)
    chat = api.add_user(person.token, person.user)
    stored = api.store_file(state, "photo", jpeg_file(caption), "jpg", "image/jpeg")
    fields = {"photo": photo_sizes(state, stored, (640, 480)), "caption": caption}
    if group is not None:
        fields["media_group_id"] = group
    message = api.store_message(state, chat, {"from": person.user.as_dict(), **fields},
                                outgoing=False)
    api.enqueue(state, {"message": message.public()})


def _relayed_captions(box: Sandbox, platform: str) -> list[str]:
    return [
        (m.raw.get("caption") or "").splitlines()[-1]
        for m in group_messages(box, platform) if m.raw.get("photo")
    ]


async def test_thirty_photos_in_albums_arrive_in_order(
    flood_sandbox: Sandbox, platform: str
) -> None:
    box = flood_sandbox
    person = await beneficiary(box, platform)
    await open_ticket(person)
    captions = []
    for album in range(3):
        for item in range(10):
            caption = f"a{album}-{item:02d}"
            captions.append(caption)
            _queue_photo(person, caption, group=f"album{album}")
    for loose in ("loose-1", "loose-2"):
        captions.append(loose)
        _queue_photo(person, loose)
    await box.pump(platform)  # type: ignore[arg-type]

    assert _relayed_captions(box, platform) == captions
    acknowledgements = [
        m for m in person.messages() if m.outgoing and "sent to a caseworker" in (m.text or "")
    ]
    assert len(acknowledgements) == 1, [m.text for m in person.messages() if m.outgoing]
    assert not any("very fast" in (m.text or "") for m in person.messages())
    [ticket] = await tickets_of(box, await person_id_of(box, person))
    rows = await ticket_messages(box, ticket.id)
    assert [r.text for r in rows] == captions
    assert [r.media_group_id for r in rows[:10]] == ["album0"] * 10

    # The limit still holds for loose photos: the 8th update passes, the 9th is held back.
    _queue_photo(person, "loose-3")
    _queue_photo(person, "loose-4")
    await box.pump(platform)  # type: ignore[arg-type]
    assert _relayed_captions(box, platform)[-1] == "loose-3"
    assert any("very fast" in (m.text or "") for m in person.messages())
