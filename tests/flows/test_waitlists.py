"""Waitlists through the sandbox, both messengers, SQLite and PostgreSQL + Redis: «🔔 Tell me
when one opens» on an empty search, a full course's card, a closed course's link; the Persian
confirmation; joining twice; the notice after an import (once, whatever the re-imports), its
button to the card, at most one message a day (the second import's courses wait for the next
day's digest hour); «🔔 My waitlists» and removal, a forged removal; a person who blocked the
bot when the course opens."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine
from sqlalchemy import select

from bot.keyboards.waitlists import WaitlistCb
from services.waitlists import JoinOutcome
from storage.models import MatchNotice, OutboxMessage
from tests.flows.course_steps import (
    TEHRAN,
    FixtureCourse,
    open_courses,
    search,
    seed_courses,
    widgets_of,
)
from tests.flows.harness import TOKENS, Sandbox
from tests.flows.steps import english, press_widget
from tests.flows.waitlist_steps import import_courses, notices, sweep

BAKER = FixtureCourse("B01", "زنبوردار", "کشاورزی", TEHRAN, "تهران", 20)
BAKER_2 = FixtureCourse("B02", "زنبوردار ملکه", "کشاورزی", TEHRAN, "تهران", 25)
# 09:00 in Tehran: after the night, before the digest hour (10:00).
MORNING = dt.datetime.combine(
    dt.date.today(), dt.time(9, 0), tzinfo=ZoneInfo("Asia/Tehran")
).astimezone(dt.UTC)


async def test_an_empty_search_waits_and_the_import_tells_once(
    sandbox: Sandbox, platform: str
) -> None:
    with time_machine.travel(MORNING, tick=True):
        await seed_courses(sandbox)
        person = english(sandbox, platform)
        await open_courses(person)
        await search(person, "زنبورداری")
        assert "wait_list" in widgets_of(person), person.screen()
        await press_widget(person, "wait_list")
        confirmation = _latest(person, "✅ Done.")
        assert "«زنبورداری»" in confirmation and "All provinces" in confirmation, confirmation
        assert "🔔 My waitlists" in confirmation, confirmation
        assert "At most one such message a day" in confirmation, confirmation
        await press_widget(person, "wait_list")
        assert "already on this waitlist" in _latest(person, "already"), person.screen()

        assert await import_courses(sandbox, [BAKER]) == 1
        assert await import_courses(sandbox, [BAKER]) == 0  # the same file again
        await sweep(sandbox)
        await sweep(sandbox)
        (notice,) = notices(person)
        assert "A course you were waiting for has opened" in notice and "زنبوردار" in notice
        await person.press("زنبوردار")
        assert "B01" in (person.last().text or ""), person.screen()

        # A second course the same day waits for tomorrow's digest hour.
        await import_courses(sandbox, [BAKER, BAKER_2])
        assert (await sweep(sandbox)).postponed == 1
        assert len(notices(person)) == 1
    tomorrow_digest = MORNING + dt.timedelta(days=1, hours=1)
    with time_machine.travel(tomorrow_digest, tick=True):
        assert (await sweep(sandbox, tomorrow_digest)).notices_sent == 1
        assert len(notices(person)) == 2 and "B02" not in notices(person)[0]


def _latest(person: object, needle: str) -> str:
    for message in reversed(person.messages()):  # type: ignore[attr-defined]
        if message.outgoing and needle in (message.text or ""):
            return message.text or ""
    raise AssertionError(f"nothing said {needle!r}: {person.screen()}")  # type: ignore[attr-defined]


async def test_persian_confirmation_for_a_full_course_card(sandbox: Sandbox) -> None:
    await seed_courses(sandbox)
    person = sandbox.person("telegram")
    # A link to the full course: the province's list, offering to wait for that course.
    await person.send("/start course_T90")
    assert "wait_link" in widgets_of(person), person.screen()
    await press_widget(person, "wait_link")
    text = _latest(person, "✅ انجام شد.")
    assert "T90" in text and "🔔 فهرست‌های انتظار من" in text, text
    assert "دوره «خیاط لباس مردانه»" in text and "روزی حداکثر یک پیام" in text, text


async def test_a_long_query_and_a_full_courses_card(sandbox: Sandbox) -> None:
    await seed_courses(sandbox)
    person = english(sandbox, "bale")
    await open_courses(person)
    await search(person, "زنبورداری " + "ش" * 1000)
    await press_widget(person, "wait_list")
    entry, = await sandbox.app.services.waitlist_service.entries(
        await _person_id(sandbox, person))
    assert entry.words.split()[0] == "زنبورداری" and len(entry.title) <= 100, entry
    await search(person, "خیاط")
    await open_courses(person)
    await person.send("/start course_K01")  # open: its card, no waiting offered
    assert "wait_code" not in widgets_of(person), person.screen()
    await _fill(sandbox, "K01")
    await press_widget(person, "save")  # the card, drawn again: now full
    assert "wait_code" in widgets_of(person), person.screen()
    await press_widget(person, "wait_std")
    assert "a new course «خیاط لباس زنانه» in کرمانشاه" in _latest(person, "✅ Done."), (
        person.screen())
    await import_courses(sandbox, [FixtureCourse(
        "K01", "خیاط لباس زنانه", "صنایع پوشاک", "کرمانشاه", "کرمانشاه", 12,
        center_type="private", rank=2, taken=3)])
    await sweep(sandbox)
    (notice,) = notices(person)
    assert "خیاط لباس زنانه" in notice, notice


async def _fill(sandbox: Sandbox, code: str) -> None:
    from tests.flows.course_steps import fill_course

    await fill_course(sandbox, code)


async def test_card_buttons_list_remove_and_a_forged_removal(
    sandbox: Sandbox, platform: str
) -> None:
    await seed_courses(sandbox)
    person, other = english(sandbox, platform), english(sandbox, platform)
    await person.send("/start course_T90")
    await press_widget(person, "wait_link")
    waitlists = sandbox.app.services.waitlist_service
    theirs = await waitlists.join_search(
        (await _person_id(sandbox, other)), _filter("آشپزی")
    )
    assert theirs.outcome is JoinOutcome.JOINED and theirs.entry is not None

    await person.send("🔔 Notifications")
    await person.press("🔔 My waitlists")
    listing = person.last().text or ""
    assert "1. the course «خیاط لباس مردانه» (code T90) having seats again" in listing, listing
    # Someone else's entry, by a forged button: nothing changes for either.
    await person.press_data(
        person.last().message_id,
        WaitlistCb(action="rm", waitlist_id=theirs.entry.id).pack(), forge=True,
    )
    assert "not on your list" in (person.last().text or ""), person.screen()
    assert len(await waitlists.entries(await _person_id(sandbox, other))) == 1
    await person.press("✖️ Remove 1")
    assert "✅ Removed" in (person.last().text or "") and "not waiting for any course" in (
        person.last().text or ""), person.screen()


async def test_a_person_who_blocked_the_bot_is_marked_and_nothing_breaks(
    sandbox: Sandbox,
) -> None:
    await seed_courses(sandbox)
    person, friend = english(sandbox, "telegram"), english(sandbox, "telegram")
    for who in (person, friend):
        await open_courses(who)
        await search(who, "زنبورداری")
        await press_widget(who, "wait_list")
    sandbox.api.block(TOKENS["telegram"], person.user.id)
    await import_courses(sandbox, [BAKER])
    await sweep(sandbox)
    assert len(notices(friend)) == 1 and notices(person) == []
    async with sandbox.app.session_factory() as session:
        outcomes = sorted((await session.scalars(
            select(OutboxMessage.outcome).where(OutboxMessage.kind == "course_openings")
        )).all())
        ledger = (await session.scalars(select(MatchNotice.outcome))).all()
    assert outcomes == ["blocked", "sent"] and list(ledger) == ["sent", "sent"]


def _filter(query: str) -> object:
    from services.catalog import CourseFilter

    return CourseFilter(query=query)


async def _person_id(sandbox: Sandbox, person: object) -> int:
    from storage.models import MessengerAccount

    async with sandbox.app.session_factory() as session:
        found = await session.scalar(select(MessengerAccount.person_id).where(
            MessengerAccount.user_id == person.user.id))  # type: ignore[attr-defined]
    if found is None:
        await person.send("/start")  # type: ignore[attr-defined]
        return await _person_id(sandbox, person)
    return int(found)
