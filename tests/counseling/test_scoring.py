"""Scoring against hand-worked numbers (a tiny fixture questionnaire), the "why" sentence, and one
end-to-end check of the shipped data files."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from services.counseling import (
    CounselingData,
    load_counseling_data,
    rank_fields,
    top_fields,
    why_sentence,
)
from services.counseling.data import FieldsFile, QuestionnaireFile
from services.counseling.scoring import UnknownAnswerError


def _text(en: str) -> dict[str, str]:
    return {"fa": f"«{en}»", "en": en}


def _options(**weights: dict[str, int]) -> list[dict[str, Any]]:
    return [{"id": oid, "text": _text(f"{oid} answer"), "weights": w} for oid, w in weights.items()]


# Four fields, in this order (the tie-breaker): a, b, c, d.
# q1: o1 {a:+3, b:+1}   o2 {c:+2}
# q2: o1 {b:+2, d:+2}   o2 {a:-2, d:+1}
# q3: o1 {c:-10}        o2 {}
QUESTIONNAIRE = QuestionnaireFile.model_validate({
    "version": "t1",
    "questions": [
        {"id": "q1", "text": _text("Q1"), "options": _options(o1={"a": 3, "b": 1}, o2={"c": 2})},
        {"id": "q2", "text": _text("Q2"),
         "options": _options(o1={"b": 2, "d": 2}, o2={"a": -2, "d": 1})},
        {"id": "q3", "text": _text("Q3"), "options": _options(o1={"c": -10}, o2={})},
    ],
})
FIELDS = FieldsFile.model_validate({
    "fields": [
        {"id": fid, "name": _text(fid.upper()), "clusters": [f"cluster {fid}"],
         "why": {"fa": fid + " می‌خورد: {answers}.", "en": fid.upper() + " fits: {answers}."}}
        for fid in ("a", "b", "c", "d")
    ],
})


def _data(demand: dict[str, dict[str, str]]) -> CounselingData:
    return CounselingData(
        version=QUESTIONNAIRE.version,
        questions=tuple(QUESTIONNAIRE.questions),
        fields=tuple(FIELDS.fields),
        demand={p: {f: Decimal(v) for f, v in factors.items()} for p, factors in demand.items()},
        default_demand=Decimal("1.0"),
        neighbours={},
    )


# Province P: b in demand (x1.5), c less so (x0.5). Province R: a and b equally (x1.5).
DATA = _data({"P": {"b": "1.5", "c": "0.5"}, "R": {"a": "1.5", "b": "1.5"}})


def _ranking(answers: dict[str, str], province: str | None) -> list[tuple[str, Decimal]]:
    return [(f.field_id, f.score) for f in rank_fields(DATA, answers, province)]


def test_sum_of_weights_and_ties_in_file_order() -> None:
    # q1=o1, q2=o1, q3=o2, no province (every factor 1.0):
    #   a = 3            = 3
    #   b = 1 + 2        = 3   (ties with a: a comes first in fields.json)
    #   c = 0            = 0
    #   d = 2            = 2
    answers = {"q1": "o1", "q2": "o1", "q3": "o2"}
    assert _ranking(answers, None) == [("a", 3), ("b", 3), ("d", 2), ("c", 0)]
    assert [f.field_id for f in top_fields(DATA, answers, None)] == ["a", "b", "d"]


def test_demand_multiplies_a_positive_sum() -> None:
    # Same answers in province P: b = 3 x 1.5 = 4.5 overtakes a (3); c = 0 x 0.5 = 0.
    answers = {"q1": "o1", "q2": "o1", "q3": "o2"}
    assert _ranking(answers, "P") == [("b", Decimal("4.5")), ("a", 3), ("d", 2), ("c", 0)]
    # Province R raises a and b alike: 4.5 each, still a tie, still file order.
    assert _ranking(answers, "R")[:2] == [("a", Decimal("4.5")), ("b", Decimal("4.5"))]
    # A province not in demand.json uses the default factor (1.0).
    assert _ranking(answers, "elsewhere") == _ranking(answers, None)


def test_penalty_is_not_scaled_by_demand() -> None:
    # q1=o2, q2=o2, q3=o1 in province P:
    #   a = -2                     = -2
    #   b = 0                      =  0 (x1.5 = 0)
    #   c = 2 - 10 = -8  (not x0.5) = -8  "demand never softens a penalty"
    #   d = 1                      =  1
    answers = {"q1": "o2", "q2": "o2", "q3": "o1"}
    assert _ranking(answers, "P") == [("d", 1), ("b", 0), ("a", -2), ("c", -8)]


def test_equal_scores_tie_exactly_not_by_float_rounding() -> None:
    # Same answers, province S: a = 3 x 1.2 = 3.6; d = 2 x 1.8 = 3.6. A tie: a first (file order).
    # In binary floating point 3 x 1.2 = 3.5999999999999996 < 2 x 1.8 = 3.6, which would wrongly
    # put d first; the scores are decimals, so the tie is exact.
    data = _data({"S": {"a": "1.2", "d": "1.8"}})
    answers = {"q1": "o1", "q2": "o1", "q3": "o2"}
    assert 3 * 1.2 < 2 * 1.8  # the floating-point trap this test guards against
    ranking = [(f.field_id, f.score) for f in rank_fields(data, answers, "S")]
    assert ranking[:2] == [("a", Decimal("3.6")), ("d", Decimal("3.6"))]


def test_reasons_are_the_largest_positive_weights() -> None:
    answers = {"q1": "o1", "q2": "o1", "q3": "o2"}
    by_field = {f.field_id: f for f in rank_fields(DATA, answers, None)}
    assert by_field["b"].reasons == (("q2", "o1"), ("q1", "o1"))  # +2 before +1
    assert by_field["a"].reasons == (("q1", "o1"),)
    assert by_field["c"].reasons == ()  # nothing spoke for c
    assert (by_field["b"].raw, by_field["c"].raw) == (3, 0)


def test_unknown_answers_are_refused() -> None:
    with pytest.raises(UnknownAnswerError):
        rank_fields(DATA, {"q1": "o9"}, None)
    with pytest.raises(UnknownAnswerError):
        rank_fields(DATA, {"q9": "o1"}, None)


def test_why_sentence_names_the_answers_in_the_readers_language() -> None:
    reasons = (("q2", "o1"), ("q1", "o1"))
    assert why_sentence(DATA, "b", reasons, "en") == "B fits: “o1 answer” and “o1 answer”."
    assert why_sentence(DATA, "b", reasons[:1], "fa") == "b می‌خورد: ««o1 answer»»."
    # An answer from an older questionnaire is left out; with none left there is no sentence.
    assert why_sentence(DATA, "b", (("gone", "x"), ("q1", "o1")), "en") == "B fits: “o1 answer”."
    assert why_sentence(DATA, "b", (("gone", "x"),), "en") is None
    assert why_sentence(DATA, "nope", reasons, "en") is None


# --- the shipped data files ---

SHIPPED = load_counseling_data()
COMPUTERS_OFFICE_NO_PHYSICAL = {
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
PHYSICAL_FIELDS = {"metal", "building", "automotive", "woodwork", "agriculture"}


@pytest.mark.parametrize("province", [None, "تهران", "خوزستان", "سیستان و بلوچستان"])
def test_shipped_data_computers_office_no_physical_gives_it_fields(province: str | None) -> None:
    best = top_fields(SHIPPED, COMPUTERS_OFFICE_NO_PHYSICAL, province)
    assert [f.field_id for f in best][:2] == ["it", "office_sales"], best
    ranked = rank_fields(SHIPPED, COMPUTERS_OFFICE_NO_PHYSICAL, province)
    # "No physical work" pushes every physical field below zero, wherever the demand is high.
    assert all(f.score < 0 for f in ranked if f.field_id in PHYSICAL_FIELDS), ranked


def test_shipped_data_hands_on_person_gets_workshop_fields() -> None:
    answers = {
        "enjoy": "hands", "day": "repair", "digital": "hardly", "people": "alone",
        "physical": "fine", "hours": "full", "travel": "yes", "schooling": "primary",
        "goal": "job", "place": "workshop",
    }
    best = [f.field_id for f in top_fields(SHIPPED, answers, "خوزستان")]
    assert best[0] == "metal" and set(best) <= {"metal", "automotive", "electrical", "building"}
    assert "it" not in best
