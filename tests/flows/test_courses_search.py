"""Free-text search (spelling variants reach the same courses), combined with filters;
empty words and stickers at the search prompt."""

from __future__ import annotations

from bot.dialogs.courses.handlers import GOVERNMENT_CENTERS
from tests.flows.course_steps import (
    ALL_OPEN_CODES,
    TEHRAN,
    ZWNJ,
    open_courses,
    open_filters,
    screen_text,
    search,
    seed_courses,
    show_list,
    shown_codes,
    widgets_of,
)
from tests.flows.harness import Sandbox
from tests.flows.steps import english, press_widget


async def test_search_finds_spelling_variants(sandbox: Sandbox) -> None:
    await seed_courses(sandbox)
    # Not registered: every province. Search does not depend on the messenger: one flavour.
    person = english(sandbox, "bale")
    await open_courses(person)

    # Arabic ي: both open tailoring courses, soonest first; the full one (T90) is not listed.
    await search(person, "خياط")
    assert shown_codes(person) == ["T01", "K01"], person.screen()
    assert "Search: «خیاط»" in screen_text(person).splitlines()[0], person.screen()
    # «برق‌کار» typed without the ZWNJ, or with a space; the welder (جوشکار برق) is not a match.
    for typed in ("برقکار", "برق کار", f"برق{ZWNJ}کار"):
        await search(person, typed)
        assert shown_codes(person) == ["T04"], (typed, person.screen())
    # Arabic ك and ي; the started computer course (T91) is not listed.
    await search(person, "كاربر رايانه")
    assert shown_codes(person) == ["T02"], person.screen()
    await search(person, "  ؟؟ رایانه!! ")
    assert shown_codes(person) == ["T02"], person.screen()


async def test_search_combines_with_filters_and_clears(sandbox: Sandbox) -> None:
    await seed_courses(sandbox)
    person = english(sandbox, "telegram")  # messenger-independent: one flavour
    await open_courses(person)
    await search(person, "خیاط")
    assert shown_codes(person) == ["T01", "K01"]

    await open_filters(person)
    await press_widget(person, "f_prov")
    await press_widget(person, "prov:7")
    assert await show_list(person) == ["T01"]
    summary = screen_text(person).splitlines()[0]
    assert TEHRAN in summary and "خیاط" in summary, summary

    await open_filters(person)
    await press_widget(person, GOVERNMENT_CENTERS)
    assert await show_list(person) == []
    assert "No open courses" in screen_text(person)

    # Clearing the search keeps the filters.
    await press_widget(person, "to_search")
    await press_widget(person, "s_clear")
    assert shown_codes(person) == ["T02", "T04", "T07", "T08", "T09", "T10"], person.screen()
    await press_widget(person, "clear")
    assert shown_codes(person) == ALL_OPEN_CODES[:6]


async def test_search_prompt_keeps_asking_for_words(sandbox: Sandbox) -> None:
    await seed_courses(sandbox)
    person = english(sandbox, "bale")  # messenger-independent: one flavour
    await open_courses(person)
    await search(person, "خیاط")

    for bad in ({"text": "؟!.. ،"}, {"sticker": True}, {"photo": b"\xff\xd8"}):
        await press_widget(person, "to_search")
        await person.send(**bad)
        text = screen_text(person)
        assert "s_back" in widgets_of(person) and not shown_codes(person), (bad, person.screen())
        assert "⚠️" in text, (bad, text)
        # The earlier search is kept meanwhile.
        assert "خیاط" in text, text
        await press_widget(person, "s_back")
        assert shown_codes(person) == ["T01", "K01"], person.screen()
