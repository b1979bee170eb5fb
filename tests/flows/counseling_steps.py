"""Shared moves for the career-counseling flow tests: open counseling, answer questions
by their ids, read the progress and the stored results, a small course catalog dated from today.

Answers are pressed by widget id (`opt:<question>.<option>`), never by label or position."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from services.counseling import Progress, load_counseling_data
from storage.models import CounselingResult
from tests.flows.course_steps import FixtureCourse, seed_courses
from tests.flows.harness import Person, Sandbox
from tests.flows.steps import current_widgets, fsm_data, person_row, press_widget

COUNSELING_LABEL = "🧭 Career counseling"
DATA = load_counseling_data()
# Questions a registered profile answers (not asked when the profile has the education).
PROFILE_QUESTIONS = {q.id: dict(q.from_education) for q in DATA.questions if q.from_education}

# "Computers, office, no physical work": IT first, office second; in Tehran (where
# `steps.register` lives) childcare third (3 x 1.0 beats beauty's 2 x 1.1).
IT_PERSON = {
    "enjoy": "computer",
    "day": "lists",
    "digital": "easy",
    "people": "sometimes",
    "physical": "no",
    "hours": "part",
    "travel": "no",
    "schooling": "diploma",
    "goal": "job",
    "place": "indoors",
}
IT_PERSON_TOP = ["it", "office_sales", "childcare"]

# "Hands-on, heavy work fine, workshop": metal work on top.
HANDS_ON_PERSON = {
    "enjoy": "hands",
    "day": "repair",
    "digital": "hardly",
    "people": "alone",
    "physical": "fine",
    "hours": "full",
    "travel": "yes",
    "schooling": "primary",
    "goal": "job",
    "place": "workshop",
}

TEHRAN = "تهران"
IT = "فناوری اطلاعات"
OFFICE = "مدیریت و بازرگانی"
# IT: two open courses in Tehran (and a full one). Office work: none in Tehran, one in Alborz
# (Tehran's first neighbour) and one far away that starts sooner. Childcare: none anywhere.
COUNSELING_COURSES = [
    FixtureCourse("CT1", "کاربر رایانه", IT, TEHRAN, "تهران", 20, title_en="Computer operator"),
    FixtureCourse("CT2", "طراح گرافیک با فتوشاپ", IT, TEHRAN, "اسلامشهر", 40),
    FixtureCourse("CT9", "کاربر رایانه", IT, TEHRAN, "تهران", 5, capacity=10, taken=10),
    FixtureCourse("CA1", "حسابدار مالی", OFFICE, "البرز", "کرج", 30),
    FixtureCourse("CK1", "بازاریاب فروش آنلاین", OFFICE, "کرمانشاه", "کرمانشاه", 10),
    FixtureCourse("CW1", "جوشکار برق", "متالورژی و جوشکاری", TEHRAN, "تهران", 15),
]
# The IT person said courses must be near home: Kermanshah (CK1) is not offered.
IT_PERSON_COURSES = ["CT1", "CT2", "CA1"]


async def seed_counseling_courses(sandbox: Sandbox) -> None:
    await seed_courses(sandbox, COUNSELING_COURSES)


async def open_counseling(person: Person) -> None:
    await person.send(COUNSELING_LABEL)


def option_widget(question_id: str, option_id: str) -> str:
    return f"opt:{question_id}.{option_id}"


def shown_question(person: Person) -> str | None:
    """The id of the question on the newest screen (from its option buttons), if any."""
    for widget in current_widgets(person):
        if widget.startswith("opt:"):
            return widget[len("opt:"):].split(".")[0]
    return None


async def answer(person: Person, question_id: str, option_id: str) -> None:
    await press_widget(person, option_widget(question_id, option_id))


async def answer_all(
    person: Person, answers: dict[str, str], *, until: str | None = None
) -> None:
    """From the introduction (or a shown question) through every answer, stopping before `until`.
    A question the profile answers (education) is not shown: its answer here is skipped."""
    if "begin" in current_widgets(person):
        await press_widget(person, "begin")
    for question_id, option_id in answers.items():
        if question_id == until:
            return
        if PROFILE_QUESTIONS.get(question_id) and shown_question(person) != question_id:
            continue
        assert shown_question(person) == question_id, person.screen()
        await answer(person, question_id, option_id)


async def progress_of(person: Person) -> Progress | None:
    return Progress.from_json((await fsm_data(person)).get("counseling_progress"))


async def results_of(person: Person) -> list[CounselingResult]:
    person_id = (await person_row(person)).id
    async with person.sandbox.app.session_factory() as session:
        rows = await session.scalars(
            select(CounselingResult)
            .where(CounselingResult.person_id == person_id)
            .order_by(CounselingResult.id)
        )
        return list(rows)


def course_codes(person: Person) -> list[str]:
    """Course codes on the newest screen's course buttons, top to bottom."""
    return [w[len("course:"):] for w in current_widgets(person) if w.startswith("course:")]


def field_names(field_ids: list[str], locale: str = "en") -> list[str]:
    names = []
    for field_id in field_ids:
        field = DATA.field(field_id)
        assert field is not None, field_id
        names.append(field.name.in_locale(locale))
    return names


def question_text(question_id: str, locale: str = "en") -> str:
    question = DATA.question(question_id)
    assert question is not None, question_id
    return question.text.in_locale(locale)


def top_field_ids(row: CounselingResult) -> list[Any]:
    return [item["field"] for item in row.top_fields]
