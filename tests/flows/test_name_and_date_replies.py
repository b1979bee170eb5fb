"""A one-word name and a date outside the sane years get a reply saying what to type."""

from __future__ import annotations

from tests.flows.harness import Sandbox
from tests.flows.steps import draft_of, english, register


async def test_one_word_name_is_refused_in_persian(sandbox: Sandbox, platform: str) -> None:
    person = sandbox.person(platform, language_code="fa")  # type: ignore[arg-type]
    await register(person, until="full_name")
    await person.send("مریم")
    assert "هم نام و هم نام خانوادگی" in (person.last().text or ""), person.screen()
    assert (await draft_of(person)).full_name is None
    await person.send("مریم احمدی")
    assert (await draft_of(person)).full_name == "مریم احمدی"


async def test_gregorian_birth_date_is_converted(sandbox: Sandbox, platform: str) -> None:
    person = english(sandbox, platform)
    await register(person, until="birth_date")
    await person.send("\u200e1991-07-28\u200f")
    draft = await draft_of(person)
    assert (draft.birth_date, draft.step) == ("1991-07-28", "gender")
