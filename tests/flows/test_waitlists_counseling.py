"""«🔔 Tell me when one opens» from a counseling result: a field with no open course near home
(childcare, here) waits for its catalog fields in the home province and the neighbouring ones;
a course opening in a neighbouring province is told, one far away is not."""

from __future__ import annotations

from tests.flows.counseling_steps import (
    IT_PERSON,
    TEHRAN,
    answer_all,
    open_counseling,
    seed_counseling_courses,
)
from tests.flows.course_steps import FixtureCourse
from tests.flows.harness import Sandbox
from tests.flows.steps import current_widgets, english, press_widget, register
from tests.flows.waitlist_steps import import_courses, notices, sweep

CHILDCARE = "خدمات آموزشی"


async def test_a_counseling_field_with_nothing_near_home(sandbox: Sandbox, platform: str) -> None:
    await seed_counseling_courses(sandbox)
    person = english(sandbox, platform)
    await register(person)
    await open_counseling(person)
    await answer_all(person, IT_PERSON)
    # IT has courses at home: no waiting offered for it; childcare has none.
    assert "wl_field:it" not in current_widgets(person), person.screen()
    await press_widget(person, "wl_field:childcare")
    confirmation = next(
        m.text or "" for m in reversed(person.messages()) if "✅ Done." in (m.text or ""))
    assert "Childcare and teaching children" not in confirmation  # the entry keeps Persian
    assert f"«مراقبت و آموزش کودک» in {TEHRAN} or a neighbouring province" in confirmation, (
        confirmation)

    await import_courses(sandbox, [
        FixtureCourse("FAR", "مربی مهد کودک", CHILDCARE, "سیستان و بلوچستان", "زاهدان", 20),
        FixtureCourse("NEAR", "مربی مهد کودک", CHILDCARE, "البرز", "کرج", 30),
    ])
    await sweep(sandbox)
    (notice,) = notices(person)
    assert "کرج" in notice and "زاهدان" not in notice, notice
