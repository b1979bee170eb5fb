"""Counseling does not ask education again: registration has it."""

from __future__ import annotations

from tests.flows.counseling_steps import (
    DATA,
    IT_PERSON,
    open_counseling,
    press_widget,
    results_of,
    seed_counseling_courses,
    shown_question,
)
from tests.flows.harness import Sandbox
from tests.flows.steps import english, register


async def test_education_comes_from_the_profile(sandbox: Sandbox, platform: str) -> None:
    await seed_counseling_courses(sandbox)
    person = english(sandbox, platform)
    await register(person, education="primary")
    await open_counseling(person)
    asked = len(DATA.questions) - 1
    assert f"Answer {asked} short questions" in (person.last().text or ""), person.screen()
    await press_widget(person, "begin")
    seen = []
    for question_id, option_id in IT_PERSON.items():
        if question_id == "schooling":
            continue
        shown = shown_question(person)
        seen.append(shown)
        assert shown == question_id and f"of {asked}" in (person.last().text or ""), seen
        await press_widget(person, f"opt:{question_id}.{option_id}")
    assert "schooling" not in seen, seen
    [row] = await results_of(person)
    # The profile's «Primary school» stands for the questionnaire's «primary or less».
    assert row.answers["schooling"] == "primary", row.answers
    assert row.questionnaire_version == DATA.version
