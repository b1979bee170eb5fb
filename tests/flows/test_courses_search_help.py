"""Search finds the trade people name («خیاطی» → «خیاط لباس زنانه»), and a search that finds
nothing offers what to do next: nearby spellings, the filters' share, browsing by field."""

from __future__ import annotations

import pytest

from services.provinces import PROVINCES
from tests.flows.course_steps import (
    button_labels,
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

FLAVOURS = pytest.mark.parametrize("platform", ["telegram", "bale"])
# A province the fixture catalog has no course in.
EMPTY_PROVINCE = next(index for index, name in enumerate(PROVINCES)
                      if name not in ("تهران", "کرمانشاه", "خراسان رضوی"))  # fmt: skip


@FLAVOURS
async def test_the_trade_finds_the_workers_course(sandbox: Sandbox, platform: str) -> None:
    await seed_courses(sandbox)
    person = english(sandbox, platform)  # not registered: every province
    await open_courses(person)
    await search(person, "خیاطی")
    assert shown_codes(person) == ["T01", "K01"], person.screen()
    await search(person, "لوله کشی")  # no plumber in the fixture: the screen says what to do
    assert shown_codes(person) == [] and "by_field" in widgets_of(person), person.screen()


@FLAVOURS
async def test_nothing_found_offers_spellings_filters_and_fields(
    sandbox: Sandbox, platform: str
) -> None:
    await seed_courses(sandbox)
    person = english(sandbox, platform)
    await open_courses(person)

    await search(person, "خیاد")  # a typo in a short word: not matched, but offered
    text = screen_text(person)
    assert "No open courses match" in text and "Maybe you meant" in text, person.screen()
    assert "🔎 خیاط" in button_labels(person), person.screen()
    assert "clear_keep" not in widgets_of(person)  # no filter to blame
    await press_widget(person, "sug:0")
    assert shown_codes(person) == ["T01", "K01"], person.screen()

    # A province without tailoring: the words do match elsewhere, and the screen says so.
    await open_filters(person)
    await press_widget(person, "f_prov")
    await press_widget(person, f"prov:{EMPTY_PROVINCE}")
    assert await show_list(person) == []
    assert "Without the filters, 2 courses match" in screen_text(person), person.screen()
    await press_widget(person, "clear_keep")
    assert shown_codes(person) == ["T01", "K01"], person.screen()
    assert "خیاط" in screen_text(person).splitlines()[0]  # the search is kept

    # Browse by field: the field picker, the words that found nothing dropped.
    await search(person, "زززززز")
    assert "by_field" in widgets_of(person) and "sug:0" not in widgets_of(person)
    await press_widget(person, "by_field")
    assert "Which field of work?" in screen_text(person), person.screen()
    await press_widget(person, "clu_all")
    assert await show_list(person) != [], person.screen()
