"""`/start course_<code>` links (good, unknown, closed, garbage), and buttons that
outlived their course, their page or their screen."""

from __future__ import annotations

from bot.dialogs.courses.handlers import NEXT_PAGE, PREV_PAGE
from tests.flows.course_steps import (
    ALL_OPEN_CODES,
    TEHRAN_CODES,
    delete_courses,
    open_card,
    open_courses,
    screen_text,
    seed_courses,
    shown_codes,
    widgets_of,
)
from tests.flows.harness import Person, Sandbox
from tests.flows.steps import button_data, english, press_widget, register


def _last_callback_answer(person: Person) -> dict[str, object] | None:
    callbacks = person.api.bot(person.token).callbacks
    return list(callbacks.values())[-1].answer


async def test_link_opens_open_course_card_for_anyone(sandbox: Sandbox, platform: str) -> None:
    await seed_courses(sandbox)
    person = english(sandbox, platform)
    await person.send("/start course_K01")
    assert "share" in widgets_of(person) and "K01" in screen_text(person), person.screen()
    # A plain /start afterwards still begins the registration.
    await person.send("/start")
    assert "consent_yes" in widgets_of(person), person.screen()


BAD_LINKS = [
    ("course_NOPE42", "could not find"),
    ("course_T90", "no longer takes applications"),  # full
    ("course_T91", "no longer takes applications"),  # already started
    ("course_'; drop table courses; --", "not a valid course link"),
    ("course_" + "x" * 200, "not a valid course link"),
    ("course_😀🎓", "not a valid course link"),
    ("course_", "not a valid course link"),
]


async def test_bad_links_get_a_clear_answer_and_the_list(sandbox: Sandbox) -> None:
    await seed_courses(sandbox)
    person = english(sandbox, "bale")  # messenger-independent: one flavour
    for payload, notice in BAD_LINKS:
        await person.send(f"/start {payload}")
        text = screen_text(person)
        assert notice in text, (payload, text)
        assert shown_codes(person) == ALL_OPEN_CODES[:6], (payload, person.screen())


async def test_course_deleted_after_the_list_was_drawn(sandbox: Sandbox, platform: str) -> None:
    await seed_courses(sandbox)
    person = english(sandbox, platform)
    await register(person)
    await open_courses(person)
    await delete_courses(sandbox, "T02")
    await press_widget(person, "crs:T02")
    assert "no longer in the catalog" in screen_text(person), person.screen()
    assert shown_codes(person) == ["T01", "T03", "T04", "T05", "T06", "T07"]

    # A forged course button (a code of the wrong shape, or of no course) changes nothing.
    message_id, data = button_data(person, "crs:T01")
    intent = data.split("\x1d")[0]
    for item in ("../../etc", "T02", "x" * 40):
        await person.press_data(message_id, f"{intent}\x1dcrs:{item}", forge=True)
        assert "no longer in the catalog" in screen_text(person), person.screen()
        assert shown_codes(person)[:1] == ["T01"]

    # Deleted while its card is open: saving it says so and goes back to the list.
    await open_card(person, "T05")
    await delete_courses(sandbox, "T05")
    await press_widget(person, "save")
    assert "no longer in the catalog" in screen_text(person), person.screen()
    assert "T05" not in shown_codes(person)


async def test_page_past_the_end_shows_the_last_page(sandbox: Sandbox, platform: str) -> None:
    await seed_courses(sandbox)
    person = english(sandbox, platform)
    await register(person)
    await open_courses(person)
    await press_widget(person, NEXT_PAGE)
    await press_widget(person, NEXT_PAGE)
    assert shown_codes(person) == TEHRAN_CODES[12:]
    # Ten courses go away while the third page is on screen: only one page is left.
    await delete_courses(sandbox, *TEHRAN_CODES[:10])
    message_id, data = button_data(person, PREV_PAGE)
    intent = data.split("\x1d")[0]
    await person.press_data(message_id, f"{intent}\x1dnext", forge=True)
    assert shown_codes(person) == TEHRAN_CODES[10:], person.screen()
    assert "Page 1 of 1" in screen_text(person), person.screen()
    assert NEXT_PAGE not in widgets_of(person) and PREV_PAGE not in widgets_of(person)


async def test_old_buttons_do_not_crash(sandbox: Sandbox, platform: str) -> None:
    await seed_courses(sandbox)
    person = english(sandbox, platform)
    await register(person)
    await open_courses(person)
    list_message, list_button = button_data(person, "crs:T03")
    await open_card(person, "T01")

    # A list button pressed while the card is open: the card stays.
    await person.press_data(list_message, list_button, forge=True)
    assert "share" in widgets_of(person) and "T01" in screen_text(person), person.screen()

    # After leaving the courses, a button of the closed screen is answered politely.
    await person.send("/cancel")
    await person.press_data(list_message, list_button, forge=True)
    answer = _last_callback_answer(person)
    assert answer is not None and "old screen" in str(answer.get("text")), answer

    # And the courses open afresh from the menu.
    await open_courses(person)
    assert shown_codes(person) == TEHRAN_CODES[:6]
