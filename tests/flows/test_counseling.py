"""career counseling: the whole questionnaire, the result with courses, retaking,
and coming back to the last result."""

from __future__ import annotations

from bot.sandbox.user_side import inline_buttons
from tests.flows.counseling_steps import (
    DATA,
    IT_PERSON,
    IT_PERSON_COURSES,
    IT_PERSON_TOP,
    answer,
    answer_all,
    course_codes,
    field_names,
    open_counseling,
    progress_of,
    results_of,
    seed_counseling_courses,
    shown_question,
    top_field_ids,
)
from tests.flows.harness import Sandbox
from tests.flows.steps import current_widgets, english, press_widget, register


async def test_questionnaire_gives_three_fields_and_nearby_courses(
    sandbox: Sandbox, platform: str
) -> None:
    await seed_counseling_courses(sandbox)
    person = english(sandbox, platform)
    await register(person)
    assert any("counseling" in b for b in person.reply_keyboard()), person.reply_keyboard()

    await open_counseling(person)
    assert "begin" in current_widgets(person), person.screen()
    await answer_all(person, IT_PERSON)

    rows = await results_of(person)
    assert len(rows) == 1
    assert top_field_ids(rows[0]) == IT_PERSON_TOP
    assert rows[0].questionnaire_version == DATA.version
    assert rows[0].answers == IT_PERSON
    assert await progress_of(person) is None, "the finished questionnaire is not kept as progress"

    screen = person.last().text or ""
    names = field_names(IT_PERSON_TOP)
    positions = [screen.find(name) for name in names]
    assert -1 not in positions and positions == sorted(positions), screen
    # Own province first (Tehran, soonest first; the full course left out), then the first
    # neighbour with a course (Alborz); never far away (near home was asked for); childcare
    # has no course at all.
    assert course_codes(person) == IT_PERSON_COURSES, person.screen()


async def test_opening_again_shows_last_result_and_retake_replaces_it(
    sandbox: Sandbox
) -> None:
    await seed_counseling_courses(sandbox)
    person = english(sandbox, "telegram")
    await register(person)
    await open_counseling(person)
    await answer_all(person, IT_PERSON)

    await person.send("/cancel")
    await open_counseling(person)
    assert course_codes(person) == IT_PERSON_COURSES, person.screen()
    assert field_names(IT_PERSON_TOP)[0] in (person.last().text or "")
    assert "retake" in current_widgets(person)

    await press_widget(person, "retake")
    assert shown_question(person) == DATA.questions[0].id, person.screen()
    care_person = {**IT_PERSON, "enjoy": "people", "day": "care", "place": "homes"}
    await answer_all(person, care_person)

    rows = await results_of(person)
    assert [top_field_ids(r)[0] for r in rows] == ["it", "care"], "a retake adds a result"
    assert rows[1].answers == care_person
    assert field_names(["care"])[0] in (person.last().text or ""), person.screen()


async def test_cancel_and_main_menu_keep_the_answers(sandbox: Sandbox) -> None:
    person = english(sandbox, "bale")
    await register(person)
    await open_counseling(person)
    await answer_all(person, IT_PERSON, until="people")

    await person.send("/cancel")
    await open_counseling(person)
    assert shown_question(person) == "people", person.screen()
    await answer(person, "people", "sometimes")
    await press_widget(person, "menu")  # the screen's own main-menu button
    await open_counseling(person)
    assert shown_question(person) == "physical", person.screen()
    saved = await progress_of(person)
    assert saved is not None
    assert saved.answers == {k: IT_PERSON[k] for k in ("enjoy", "day", "digital", "people")}
    assert await results_of(person) == [], "nothing is stored before the last answer"


async def test_back_shows_the_earlier_answer_and_it_can_change(
    sandbox: Sandbox
) -> None:
    person = english(sandbox, "telegram")
    await register(person)
    await open_counseling(person)
    assert "back" not in current_widgets(person), "the first question has no way back"
    await answer_all(person, IT_PERSON, until="digital")

    await press_widget(person, "back")
    assert shown_question(person) == "day", person.screen()
    chosen = [text for text, data in inline_buttons(person.last()) if data.endswith("day.lists")]
    assert chosen and chosen[0].startswith("✅"), inline_buttons(person.last())
    await answer(person, "day", "grow")
    assert shown_question(person) == "digital", person.screen()
    saved = await progress_of(person)
    assert saved is not None and saved.answers == {"enjoy": "computer", "day": "grow"}


async def test_course_button_opens_the_course_card(sandbox: Sandbox) -> None:
    await seed_counseling_courses(sandbox)
    person = english(sandbox, "bale")
    await register(person)
    await open_counseling(person)
    await answer_all(person, IT_PERSON)

    await press_widget(person, "course:CA1")
    card = person.last().text or ""
    assert "CA1" in card and "کرج" in card, person.screen()
