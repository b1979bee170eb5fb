"""The course card (Persian digits, toman, Hamnava share), saving, the saved list, and
the share message whose link opens the card again."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import func, select

from services.catalog import CatalogService
from services.jalali import format_jalali, today_in
from storage.models import SavedCourse
from tests.flows.course_steps import (
    ALL_OPEN_CODES,
    button_labels,
    open_card,
    open_courses,
    screen_text,
    seed_courses,
    shown_codes,
    widgets_of,
)
from tests.flows.harness import Person, Sandbox
from tests.flows.steps import account_row, english, press_widget, register

ASCII_DIGIT = re.compile("[0-9]")


async def test_card_in_persian(sandbox: Sandbox, platform: str) -> None:
    await seed_courses(sandbox)
    person = sandbox.person(platform, language_code="fa")  # type: ignore[arg-type]
    await register(person)
    await open_courses(person)
    await open_card(person, "T01")
    card = screen_text(person)
    start = today_in(sandbox.settings.timezone) + dt.timedelta(days=10)
    for value in (
        "خیاط لباس زنانه",
        "صنایع پوشاک",
        "درجه ۲",  # level
        "ابتدایی",  # minimum education
        "۶۰",  # theory hours
        "۲۴۰",  # practice hours
        "آموزشگاه آزاد نوین تهران",
        "۵٬۲۰۰٬۰۰۰ تومان",  # fee, 52,000,000 rial
        "۵۲٬۰۰۰٬۰۰۰",
        "۷۰٪",  # Hamnava coverage
        "۱٬۵۶۰٬۰۰۰ تومان",  # the 30% left to pay, in toman
        "۱۵٬۶۰۰٬۰۰۰",  # ... and in rial
        "۱۵",  # seats left (20 - 5)
        format_jalali(start, "fa"),
    ):
        assert value in card, (value, card)
    assert ASCII_DIGIT.search(card) is None, card

    await press_widget(person, "card_back")
    await open_card(person, "T02")
    card = screen_text(person)
    assert "۱۰۰٪" in card and "۷۰۰٬۰۰۰ تومان" in card, card  # fully covered
    assert "۱۵٬۶۰۰٬۰۰۰" not in card


async def test_save_unsave_and_saved_list(sandbox: Sandbox, platform: str) -> None:
    await seed_courses(sandbox)
    person = english(sandbox, platform)
    await register(person)
    await open_courses(person)
    await open_card(person, "T03")
    await press_widget(person, "save")
    assert "unsave" in widgets_of(person) and "save" not in widgets_of(person), person.screen()
    assert await _saved_rows(person) == 1

    await press_widget(person, "card_back")
    await press_widget(person, "to_saved")
    assert shown_codes(person, "sv") == ["T03"], person.screen()
    await press_widget(person, "sv:T03")
    await press_widget(person, "unsave")
    assert "save" in widgets_of(person)
    assert await _saved_rows(person) == 0
    # Back from a card opened in the saved list goes to the saved list, now empty.
    await press_widget(person, "card_back")
    assert shown_codes(person, "sv") == [] and "sv_back" in widgets_of(person), person.screen()
    await press_widget(person, "sv_back")
    assert shown_codes(person)[:1] == ["T01"]


async def test_saved_list_marks_full_and_started_courses(sandbox: Sandbox) -> None:
    await seed_courses(sandbox)
    person = english(sandbox, "telegram")  # messenger-independent: one flavour
    await open_courses(person)
    service: CatalogService = sandbox.app.services.catalog_service
    person_id = await _account_person_id(person)
    for code in ("T01", "T90", "T91"):
        assert await service.save(person_id, code)

    await press_widget(person, "to_saved")
    assert shown_codes(person, "sv") == ["T91", "T90", "T01"], person.screen()
    labels = button_labels(person)
    assert any(label.startswith("⏳") for label in labels), labels
    assert any(label.startswith("⛔") for label in labels), labels
    await press_widget(person, "sv:T90")
    assert "⛔" in screen_text(person) and "unsave" in widgets_of(person), person.screen()
    await press_widget(person, "card_back")
    await press_widget(person, "sv:T91")
    assert "⏳" in screen_text(person), person.screen()


async def test_share_sends_a_link_that_opens_the_card(sandbox: Sandbox, platform: str) -> None:
    await seed_courses(sandbox)
    person = english(sandbox, platform)
    await register(person)
    await open_courses(person)
    await open_card(person, "T05")
    await press_widget(person, "share")

    me = await sandbox.app.bots[person.platform].me()
    base = "https://t.me/" if platform == "telegram" else "https://ble.ir/"
    link = f"{base}{me.username}?start=course_T05"
    shared = [m for m in person.messages() if m.outgoing and link in (m.text or "")]
    assert len(shared) == 1, [m.text for m in person.messages()][-3:]
    assert "حسابدار مالی" in (shared[0].text or "")
    assert not shared[0].raw.get("reply_markup"), "the forwardable summary carries no buttons"

    # Whoever opens the link (here: someone not registered) lands on that card.
    friend = english(sandbox, platform)
    await friend.send("/start course_T05")
    assert "share" in widgets_of(friend) and "T05" in screen_text(friend), friend.screen()
    assert any("Register" in b for b in friend.reply_keyboard()), friend.reply_keyboard()
    await press_widget(friend, "card_back")
    assert shown_codes(friend) == ALL_OPEN_CODES[:6], friend.screen()


async def _account_person_id(person: Person) -> int:
    return (await account_row(person)).person_id


async def _saved_rows(person: Person) -> int:
    person_id = await _account_person_id(person)
    async with person.sandbox.app.session_factory() as session:
        count = await session.scalar(
            select(func.count()).select_from(SavedCourse).where(SavedCourse.person_id == person_id)
        )
    return int(count or 0)
