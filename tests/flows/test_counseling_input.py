"""career counseling: typed words and stickers instead of a button, forged and old
buttons, a questionnaire file that changes half-way, and a person who is not registered."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.counseling import loader
from tests.counseling.helpers import copy_shipped_data
from tests.flows.counseling_steps import (
    COUNSELING_LABEL,
    DATA,
    IT_PERSON,
    IT_PERSON_COURSES,
    answer,
    answer_all,
    course_codes,
    open_counseling,
    progress_of,
    question_text,
    results_of,
    seed_counseling_courses,
    shown_question,
)
from tests.flows.harness import Person, Sandbox
from tests.flows.steps import button_data, current_widgets, english, fsm_data, register


def _last_callback_answer(person: Person) -> str:
    callbacks = person.api.bot(person.token).callbacks
    answer = list(callbacks.values())[-1].answer
    assert answer is not None, "the button was not answered"
    return str(answer.get("text") or "")


async def _forge(person: Person, widget: str) -> None:
    """Press a button of the open screen's dialog that the screen does not show."""
    message_id, data = button_data(person, "menu")
    intent = data.split("\x1d")[0]
    await person.press_data(message_id, f"{intent}\x1d{widget}", forge=True)


async def _registered_at_question_three(sandbox: Sandbox, platform: str) -> Person:
    person = english(sandbox, platform)
    await register(person)
    await open_counseling(person)
    await answer_all(person, IT_PERSON, until="digital")
    assert shown_question(person) == "digital", person.screen()
    return person


async def test_text_and_stickers_keep_the_question(sandbox: Sandbox, platform: str) -> None:
    person = await _registered_at_question_three(sandbox, platform)
    before = await progress_of(person)
    for content in ({"text": "I like computers"}, {"sticker": True}):
        await person.send(**content)
        assert shown_question(person) == "digital", person.screen()
        screen = person.last().text or ""
        assert question_text("digital") in screen and screen.startswith("⚠️"), screen
        assert await progress_of(person) == before
    # The hint goes once the question is answered.
    await answer(person, "digital", "easy")
    assert shown_question(person) == "people"
    assert not (person.last().text or "").startswith("⚠️"), person.screen()


async def test_forged_and_old_buttons_change_nothing(sandbox: Sandbox, platform: str) -> None:
    person = await _registered_at_question_three(sandbox, platform)
    before = await progress_of(person)
    assert before is not None and before.answers == {"enjoy": "computer", "day": "lists"}

    for forged in (
        "opt:digital.bogus",  # an option the question does not have
        "opt:enjoy.hands",  # the first question's button, after it was answered
        "opt:nosuch.x",  # a question of no version
        "opt:garbage",
        "retake",  # a button of another screen of this dialog
    ):
        await _forge(person, forged)
        assert _last_callback_answer(person), f"{forged}: no polite answer"
        assert await progress_of(person) == before, forged
        assert shown_question(person) == "digital", (forged, person.screen())
    assert await results_of(person) == []


async def test_old_question_button_after_finishing_changes_nothing(
    sandbox: Sandbox
) -> None:
    await seed_counseling_courses(sandbox)
    person = english(sandbox, "bale")
    await register(person)
    await open_counseling(person)
    await answer_all(person, IT_PERSON)
    assert len(await results_of(person)) == 1

    await _forge(person, "opt:place.indoors")
    assert _last_callback_answer(person)
    assert len(await results_of(person)) == 1
    assert await progress_of(person) is None
    assert course_codes(person) == IT_PERSON_COURSES, person.screen()


async def test_questionnaire_changed_midway_starts_over(
    sandbox: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = await _registered_at_question_three(sandbox, "telegram")
    changed = copy_shipped_data(tmp_path / "data")
    changed.edit("questionnaire.json", lambda content: content.update(version="2099.1"))
    monkeypatch.setattr(loader, "DATA_ROOT", changed.root)
    await sandbox.restart()  # a new start reads the new file

    await answer(person, "digital", "easy")  # the button on screen, drawn from the old file
    assert _last_callback_answer(person)
    started_over = await progress_of(person)
    assert started_over is not None
    assert (started_over.version, started_over.position, started_over.answers) == (
        "2099.1", 0, {}
    )
    assert shown_question(person) == DATA.questions[0].id, person.screen()
    assert await results_of(person) == []

    await answer_all(person, IT_PERSON)
    rows = await results_of(person)
    assert [row.questionnaire_version for row in rows] == ["2099.1"]


async def test_menu_after_questionnaire_change_starts_over(
    sandbox: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = await _registered_at_question_three(sandbox, "bale")
    changed = copy_shipped_data(tmp_path / "data")
    changed.edit("questionnaire.json", lambda content: content.update(version="2099.2"))
    monkeypatch.setattr(loader, "DATA_ROOT", changed.root)
    await sandbox.restart()

    await person.send("/cancel")
    await open_counseling(person)
    assert shown_question(person) == DATA.questions[0].id, person.screen()
    progress = await progress_of(person)
    assert progress is not None and (progress.version, progress.answers) == ("2099.2", {})


async def test_unregistered_person_is_asked_to_register(sandbox: Sandbox) -> None:
    person = english(sandbox, "bale")
    await person.send("/start")
    assert not any("counseling" in b for b in person.reply_keyboard()), person.reply_keyboard()
    # An old keyboard, or the label typed: registration comes first.
    await person.send(COUNSELING_LABEL)
    assert "consent_yes" in current_widgets(person), person.screen()
    assert "counseling_progress" not in await fsm_data(person)
    await person.send("/counseling")
    assert "consent_yes" in current_widgets(person), person.screen()


async def test_text_after_questionnaire_change_starts_over(
    sandbox: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = await _registered_at_question_three(sandbox, "telegram")
    changed = copy_shipped_data(tmp_path / "data")
    changed.edit("questionnaire.json", lambda content: content.update(version="2099.3"))
    monkeypatch.setattr(loader, "DATA_ROOT", changed.root)
    await sandbox.restart()

    await person.send("computers")
    progress = await progress_of(person)
    assert progress is not None and (progress.version, progress.answers) == ("2099.3", {})
    assert shown_question(person) == DATA.questions[0].id, person.screen()
    await answer(person, DATA.questions[0].id, "computer")  # the first tap now counts
    progress = await progress_of(person)
    assert progress is not None and progress.answers == {DATA.questions[0].id: "computer"}
