"""The questionnaire in progress: answers are checked against the question on screen and the
questionnaire version; junk state reads as no progress."""

from __future__ import annotations

import dataclasses

import pytest

from services.counseling import AnswerProblem, AnswerRejectedError, Progress, progress
from tests.counseling.test_scoring import DATA


def test_answers_move_forward_and_back_keeps_them() -> None:
    state = progress.start(DATA)
    assert (state.version, state.position, state.answers) == ("t1", 0, {})
    state = progress.answer(DATA, state, "q1", "o2")
    state = progress.answer(DATA, state, "q2", "o1")
    assert (state.position, state.answers) == (2, {"q1": "o2", "q2": "o1"})

    state = progress.back(DATA, state)
    assert (state.position, state.answers) == (1, {"q1": "o2", "q2": "o1"})
    state = progress.answer(DATA, state, "q2", "o2")  # a changed answer replaces the old one
    assert state.answers == {"q1": "o2", "q2": "o2"}
    assert not progress.is_complete(DATA, state)
    state = progress.answer(DATA, state, "q3", "o1")
    assert progress.is_complete(DATA, state) and state.position == 3
    assert progress.back(DATA, progress.start(DATA)).position == 0


@pytest.mark.parametrize(
    ("question", "option", "problem"),
    [
        ("q1", "o1", AnswerProblem.NOT_CURRENT),  # an old button of the previous question
        ("q3", "o1", AnswerProblem.NOT_CURRENT),  # a question not reached yet
        ("zz", "o1", AnswerProblem.NOT_CURRENT),  # a question this version does not have
        ("q2", "o9", AnswerProblem.UNKNOWN_OPTION),
        ("q2", "", AnswerProblem.UNKNOWN_OPTION),
    ],
)
def test_wrong_buttons_are_refused(question: str, option: str, problem: AnswerProblem) -> None:
    state = progress.answer(DATA, progress.start(DATA), "q1", "o1")
    with pytest.raises(AnswerRejectedError) as caught:
        progress.answer(DATA, state, question, option)
    assert caught.value.problem is problem


def test_progress_of_another_version_is_outdated() -> None:
    state = dataclasses.replace(progress.start(DATA), version="t0")
    assert not progress.is_current(DATA, state)
    with pytest.raises(AnswerRejectedError) as caught:
        progress.answer(DATA, state, "q1", "o1")
    assert caught.value.problem is AnswerProblem.OUTDATED
    complete = Progress("t0", 3, {"q1": "o1", "q2": "o1", "q3": "o1"})
    assert not progress.is_complete(DATA, complete)


def test_json_round_trip_and_junk() -> None:
    state = Progress("t1", 2, {"q1": "o1", "q2": "o2"})
    assert Progress.from_json(state.to_json()) == state
    junks: tuple[object, ...] = (
        None,
        "x",
        [],
        {"version": 1, "position": 0, "answers": {}},
        {"version": "t1", "position": -1, "answers": {}},
        {"version": "t1", "position": 0, "answers": {"q1": 3}},
        {"version": "t1", "position": "0", "answers": {}},
    )
    for junk in junks:
        assert Progress.from_json(junk) is None, junk


def test_the_profile_answers_education_and_back_skips_it() -> None:
    from services.counseling import load_counseling_data

    data = load_counseling_data()
    ids = [q.id for q in data.questions]
    at = ids.index("schooling")
    state = progress.start(data, "bachelor_plus")
    assert state.given == {"schooling": "university"} and state.answers == {}
    assert "schooling" not in state.asked(data)
    for question_id in ids[:at]:
        state = progress.answer(data, state, question_id, data.questions[state.position]
                                .options[0].id)
    assert data.questions[state.position].id == ids[at + 1], "schooling is skipped"
    assert data.questions[progress.back(data, state).position].id == ids[at - 1]
    # Without an education in the profile, the question is asked as before.
    assert "schooling" in progress.start(data, None).asked(data)
    assert progress.start(data, "unknown_level").given == {}
