"""A questionnaire being filled in: the answers so far and the question on screen.

It lives in the conversation state (SQL or Redis), so it survives /cancel, restarts and days of
absence; nothing reaches the database until the last answer. Every answer is checked against
the questionnaire: buttons may be old, forged, or from a questionnaire that has since changed."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from typing import Any

from services.counseling.data import CounselingData


class AnswerProblem(enum.StrEnum):
    # The questionnaire file changed since the person started: their answers no longer fit.
    OUTDATED = "outdated"
    # A button of another question than the one on screen (an old message, or forged).
    NOT_CURRENT = "not_current"
    # An option the current question does not have (forged).
    UNKNOWN_OPTION = "unknown_option"


class AnswerRejectedError(Exception):
    def __init__(self, problem: AnswerProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True, slots=True)
class Progress:
    version: str
    position: int = 0
    # question id -> option id
    answers: dict[str, str] = field(default_factory=dict)
    # Questions answered from the registered profile (education): never asked, never shown.
    given: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"version": self.version, "position": self.position,
                "answers": dict(self.answers), "given": dict(self.given)}

    @property
    def started(self) -> bool:
        """The person has answered something themselves."""
        return bool(self.answers)

    @property
    def all_answers(self) -> dict[str, str]:
        """What the profile gave and what the person chose: what is scored and stored."""
        return {**self.given, **self.answers}

    def asked(self, data: CounselingData) -> list[str]:
        """The ids of the questions the person is asked, in order."""
        return [q.id for q in data.questions if q.id not in self.given]

    @classmethod
    def from_json(cls, raw: object) -> Progress | None:
        """Tolerant of junk (an old or damaged state): None rather than an error."""
        if not isinstance(raw, dict):
            return None
        version, position, answers = raw.get("version"), raw.get("position"), raw.get("answers")
        if not isinstance(version, str) or not isinstance(position, int) or position < 0:
            return None
        if not isinstance(answers, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in answers.items()
        ):
            return None
        given = raw.get("given") or {}
        if not isinstance(given, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in given.items()
        ):
            return None
        return cls(version=version, position=position, answers=dict(answers), given=dict(given))


def start(data: CounselingData, education: str | None = None) -> Progress:
    """A fresh questionnaire. A question the profile already answers (its `from_education`
    names an option for the person's education) is filled in and skipped: registration asked
    it already."""
    given = {
        q.id: q.from_education[education]
        for q in data.questions
        if education is not None and education in q.from_education
    }
    fresh = Progress(version=data.version, given=given)
    return replace(fresh, position=_next_asked(data, fresh, 0))


def _next_asked(data: CounselingData, progress: Progress, position: int) -> int:
    """The first position from `position` on that is asked (len(questions) when none is)."""
    while position < len(data.questions) and data.questions[position].id in progress.given:
        position += 1
    return position


def number_of(data: CounselingData, progress: Progress) -> tuple[int, int]:
    """(the question on screen's number, how many are asked), both counting asked ones only."""
    asked = progress.asked(data)
    before = sum(1 for q in data.questions[: progress.position] if q.id in asked)
    return before + 1, len(asked)


def is_current(data: CounselingData, progress: Progress) -> bool:
    return progress.version == data.version and progress.position < len(data.questions)


def answer(
    data: CounselingData, progress: Progress, question_id: str, option_id: str
) -> Progress:
    """The progress after choosing `option_id` on `question_id`, moved to the next question."""
    if not is_current(data, progress):
        raise AnswerRejectedError(AnswerProblem.OUTDATED)
    question = data.questions[progress.position]
    if question.id != question_id:
        raise AnswerRejectedError(AnswerProblem.NOT_CURRENT)
    if question.option(option_id) is None:
        raise AnswerRejectedError(AnswerProblem.UNKNOWN_OPTION)
    answers = {**progress.answers, question_id: option_id}
    moved = replace(progress, answers=answers)
    return replace(moved, position=_next_asked(data, moved, progress.position + 1))


def back(data: CounselingData, progress: Progress) -> Progress:
    """One asked question back; the earlier answer is kept (and shown as chosen) until
    changed. Stays put on the first asked question."""
    position = progress.position - 1
    while position >= 0 and data.questions[position].id in progress.given:
        position -= 1
    return replace(progress, position=position) if position >= 0 else progress


def has_previous(data: CounselingData, progress: Progress) -> bool:
    return back(data, progress).position != progress.position


def is_complete(data: CounselingData, progress: Progress) -> bool:
    """Every question answered with an option it has, in this very questionnaire version."""
    if progress.version != data.version:
        return False
    answers = progress.all_answers
    for question in data.questions:
        chosen = answers.get(question.id)
        if chosen is None or question.option(chosen) is None:
            return False
    return True
