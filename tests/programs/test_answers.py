"""Answer validation per question type: what is stored, and the error codes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from services.programs import AnswerError, Question, validate_answer

TODAY = dt.date(2026, 11, 26)  # 1405/09/05


def question(type_: str, **extra: Any) -> Question:
    return Question.model_validate(
        {"id": "q", "type": type_, "text": {"fa": "پرسش", "en": "Question"}, **extra}
    )


CHOICE = question(
    "choice",
    options=[
        {"id": "job", "fa": "کار در کارگاه", "en": "A job"},
        {"id": "own", "fa": "تولید و فروش", "en": "Own production"},
    ],
)


@pytest.mark.parametrize(
    ("raw", "value"),
    [("job", "job"), ("own", "own"), ("کار در کارگاه", "job"), (" a JOB ", "job"),
     ("كار در كارگاه", "job")],  # Arabic kaf
)
def test_choice(raw: str, value: str) -> None:
    assert validate_answer(CHOICE, raw) == value


def test_choice_unknown() -> None:
    with pytest.raises(AnswerError) as caught:
        validate_answer(CHOICE, "astronaut")
    assert caught.value.code == "choice.unknown"


@pytest.mark.parametrize(
    ("raw", "value"),
    [("yes", True), ("بله", True), ("آره", True), ("no", False), ("خیر", False), ("نه", False)],
)
def test_yes_no(raw: str, value: bool) -> None:
    assert validate_answer(question("yes_no"), raw) is value


def test_yes_no_invalid() -> None:
    with pytest.raises(AnswerError, match=r"yes_no\.invalid"):
        validate_answer(question("yes_no"), "شاید")


NUMBER = question("number", min=1, max=20)


@pytest.mark.parametrize(
    ("raw", "value"),
    [("4", 4), ("۴", 4), ("٤", 4), ("۱۲", 12), (" 20 ", 20), ("۱", 1)],
)
def test_number_any_digits(raw: str, value: int) -> None:
    assert validate_answer(NUMBER, raw) == value


@pytest.mark.parametrize(
    ("raw", "code", "params"),
    [
        ("چهار", "number.invalid", {}),
        ("4.5", "number.invalid", {}),
        ("0", "number.too_small", {"min": 1}),
        ("۲۱", "number.too_large", {"max": 20}),
        ("99999999999999999999", "number.too_large", {"max": 20}),
    ],
)
def test_number_errors(raw: str, code: str, params: dict[str, int]) -> None:
    with pytest.raises(AnswerError) as caught:
        validate_answer(NUMBER, raw)
    assert (caught.value.code, caught.value.params) == (code, params)


def test_number_with_thousands_separators() -> None:
    assert validate_answer(question("number"), "۱٬۲۰۰") == 1200
    assert validate_answer(question("number"), "1,200") == 1200


def test_text_is_normalized_and_limited() -> None:
    short = question("text", max_length=10)
    assert validate_answer(short, "  خياطي  ") == "خیاطی"  # Arabic yeh folded, spaces trimmed
    with pytest.raises(AnswerError) as caught:
        validate_answer(short, "x" * 11)
    assert caught.value.params == {"max_length": 10}


def test_empty_answer_is_required() -> None:
    with pytest.raises(AnswerError, match="required"):
        validate_answer(question("text"), "   ")


@pytest.mark.parametrize(
    ("raw", "iso"),
    [("1405/10/01", "2026-12-22"), ("۱۴۰۵/۱۰/۱", "2026-12-22"), ("1405-10-1", "2026-12-22")],
)
def test_jalali_date(raw: str, iso: str) -> None:
    assert validate_answer(question("jalali_date"), raw) == iso


@pytest.mark.parametrize(
    ("raw", "code"),
    [("فردا", "date.format"), ("1404/12/30", "date.not_exist"), ("1405/13/01", "date.not_exist")],
)
def test_jalali_date_errors(raw: str, code: str) -> None:
    with pytest.raises(AnswerError) as caught:
        validate_answer(question("jalali_date"), raw)
    assert caught.value.code == code


def test_jalali_date_range() -> None:
    future = question("jalali_date", date_range="future")
    assert validate_answer(future, "1405/09/05", today=TODAY) == "2026-11-26"  # today is fine
    with pytest.raises(AnswerError, match=r"date\.in_past"):
        validate_answer(future, "1405/09/04", today=TODAY)
    past = question("jalali_date", date_range="past")
    with pytest.raises(AnswerError, match=r"date\.in_future"):
        validate_answer(past, "1405/09/06", today=TODAY)
