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

    def to_json(self) -> dict[str, Any]:
        return {"version": self.version, "position": self.position, "answers": dict(self.answers)}

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
        return cls(version=version, position=position, answers=dict(answers))


def start(data: CounselingData) -> Progress:
    return Progress(version=data.version)


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
    return replace(progress, answers=answers, position=progress.position + 1)


def back(progress: Progress) -> Progress:
    """One question back; the earlier answer is kept (and shown as chosen) until changed."""
    return replace(progress, position=max(progress.position - 1, 0))


def is_complete(data: CounselingData, progress: Progress) -> bool:
    """Every question answered with an option it has, in this very questionnaire version."""
    if progress.version != data.version:
        return False
    for question in data.questions:
        chosen = progress.answers.get(question.id)
        if chosen is None or question.option(chosen) is None:
            return False
    return True
