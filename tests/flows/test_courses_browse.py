"""The course list from the main menu, pages, filters that combine."""

from __future__ import annotations

from bot.dialogs.courses.handlers import (
    DORMITORY_ONLY,
    GOVERNMENT_CENTERS,
    HAMNAVA_ONLY,
    KARAFAN_ONLY,
    NEXT_PAGE,
    PREV_PAGE,
    PRIVATE_INSTITUTES,
    PROVINCE_PICKER,
    picker_page_id,
)
from tests.flows.course_steps import (
    ALL_OPEN_CODES,
    IT,
    TEHRAN,
    TEHRAN_CODES,
    button_labels,
    open_courses,
    open_filters,
    screen_text,
    seed_courses,
    show_list,
    shown_codes,
    widgets_of,
)
from tests.flows.harness import Sandbox
from tests.flows.steps import english, press_widget, register


async def test_menu_opens_my_province_soonest_first_with_pages(
    sandbox: Sandbox, platform: str
) -> None:
    await seed_courses(sandbox)
    person = english(sandbox, platform)
    await register(person)
    assert any("Skill courses" in b for b in person.reply_keyboard()), person.reply_keyboard()

    await open_courses(person)
    assert shown_codes(person) == TEHRAN_CODES[:6], person.screen()
    text = screen_text(person)
    assert f"Province {TEHRAN}" in text and "Page 1 of 3" in text, text
    assert PREV_PAGE not in widgets_of(person) and NEXT_PAGE in widgets_of(person)

    await press_widget(person, NEXT_PAGE)
    assert shown_codes(person) == TEHRAN_CODES[6:12], person.screen()
    await press_widget(person, NEXT_PAGE)
    assert shown_codes(person) == TEHRAN_CODES[12:], person.screen()
    assert NEXT_PAGE not in widgets_of(person) and "Page 3 of 3" in screen_text(person)
    await press_widget(person, PREV_PAGE)
    assert shown_codes(person) == TEHRAN_CODES[6:12], person.screen()


async def test_unregistered_person_browses_all_provinces_and_picks_one(
    sandbox: Sandbox, platform: str
) -> None:
    await seed_courses(sandbox)
    person = english(sandbox, platform)
    await person.send("/help")
    assert any("Skill courses" in b for b in person.reply_keyboard()), person.reply_keyboard()
    await open_courses(person)
    assert shown_codes(person) == ALL_OPEN_CODES[:6], person.screen()
    assert "All provinces" in screen_text(person)

    await open_filters(person)
    await press_widget(person, "f_prov")
    # Kermanshah (index 21) is on the third page of ten.
    await press_widget(person, picker_page_id(PROVINCE_PICKER, NEXT_PAGE))
    await press_widget(person, picker_page_id(PROVINCE_PICKER, NEXT_PAGE))
    await press_widget(person, "prov:21")
    assert "کرمانشاه" in screen_text(person), person.screen()
    assert await show_list(person) == ["K01"]
    assert "Province کرمانشاه" in screen_text(person)


async def test_filters_combine_and_clear(sandbox: Sandbox) -> None:
    await seed_courses(sandbox)
    person = english(sandbox, "telegram")  # filters are messenger-independent: one flavour
    await register(person)
    await open_courses(person)

    await open_filters(person)
    await press_widget(person, "f_field")
    field_buttons = [w for w in widgets_of(person) if w.startswith("clu:")]
    assert field_buttons, person.screen()
    # Press the field whose label is IT (labels are the Persian cluster names).
    await person.press(IT)
    assert IT in screen_text(person), person.screen()
    assert await show_list(person) == ["T02", "T03"]
    summary = screen_text(person).splitlines()[0]
    assert TEHRAN in summary and IT in summary, summary

    await open_filters(person)
    await press_widget(person, PRIVATE_INSTITUTES)
    assert await show_list(person) == ["T03"]
    await open_filters(person)
    await press_widget(person, PRIVATE_INSTITUTES)  # off again
    await press_widget(person, GOVERNMENT_CENTERS)
    assert await show_list(person) == ["T02"]

    await open_filters(person)
    await press_widget(person, "f_clear")
    await press_widget(person, DORMITORY_ONLY)
    assert "✅ With dormitory" in button_labels(person), person.screen()
    assert await show_list(person) == ["M01", "T03", "T04", "T07"]
    await open_filters(person)
    await press_widget(person, HAMNAVA_ONLY)
    assert await show_list(person) == ["M01", "T03", "T07"]  # T04 has no Hamnava coverage

    await open_filters(person)
    await press_widget(person, "f_clear")
    await press_widget(person, KARAFAN_ONLY)
    assert await show_list(person) == ["T05", "T06"]  # Karafan, or trained in a workplace
    await open_filters(person)
    await press_widget(person, KARAFAN_ONLY)
    await press_widget(person, "f_months:1")
    assert await show_list(person) == ["M01", "T01", "K01", "T02"]
    await open_filters(person)
    await press_widget(person, "f_months:3")
    await press_widget(person, "f_prov")
    await press_widget(person, "prov:7")
    assert await show_list(person) == ["T01", "T02", "T03", "T04", "T05"]

    # Nothing left: a clear sentence and a way to clear everything.
    await open_filters(person)
    await press_widget(person, KARAFAN_ONLY)
    await press_widget(person, DORMITORY_ONLY)
    assert await show_list(person) == []
    assert "No open courses" in screen_text(person), person.screen()
    await press_widget(person, "clear")
    assert shown_codes(person) == ALL_OPEN_CODES[:6]
    assert "clear" not in widgets_of(person)


async def test_no_courses_in_my_province_offers_all(sandbox: Sandbox) -> None:
    await seed_courses(sandbox)
    person = english(sandbox, "bale")  # messenger-independent: one flavour
    await register(person, province="5")  # ایلام: no courses there
    await open_courses(person)
    assert shown_codes(person) == [] and "No open courses" in screen_text(person), person.screen()
    assert "Province ایلام" in screen_text(person)
    await press_widget(person, "clear")
    assert shown_codes(person) == ALL_OPEN_CODES[:6], person.screen()
