"""Checking one typed answer to a program question; the stored value is JSON-safe and typed."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from services.jalali import LIFETIME_YEARS, PLAN_YEARS, InvalidJalaliDate, read_date
from services.programs.model import Question
from services.text import normalize_digits, normalize_text, search_key_compact

DEFAULT_TEXT_MAX_LENGTH = 200
# Numbers people type with thousands separators: 1,200 / ۱٬۲۰۰ / 1 200.
_NUMBER_SEPARATORS = re.compile(r"[\s,٬،'_]")
_NUMBER = re.compile(r"^[+-]?\d+$")

AnswerValue = str | int | bool

ANSWER_ERROR_CODES = (
    "required",  # empty answer to a required question
    "choice.unknown",  # not one of the options
    "yes_no.invalid",
    "number.invalid",
    "number.too_small",  # params: min
    "number.too_large",  # params: max
    "text.too_long",  # params: max_length
    "date.format",
    "date.not_exist",
    "date.out_of_range",  # params: first_year, last_year (Jalali)
    "date.in_future",  # a "past" date after today
    "date.in_past",  # a "future" date before today
)

_YES = frozenset(
    search_key_compact(w) for w in ("بله", "بلی", "آره", "اره", "هست", "yes", "y", "true", "1")
)
_NO = frozenset(
    search_key_compact(w) for w in ("خیر", "نه", "نخیر", "نیست", "no", "n", "false", "0")
)


class AnswerError(ValueError):
    """`code` is one of ANSWER_ERROR_CODES; `params` fill the sentence the UI writes."""

    def __init__(self, code: str, **params: Any) -> None:
        if code not in ANSWER_ERROR_CODES:
            raise ValueError(f"unknown answer error code {code!r}")
        super().__init__(code)
        self.code = code
        self.params = params

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, AnswerError):
            return NotImplemented
        return (self.code, self.params) == (other.code, other.params)

    def __hash__(self) -> int:
        return hash(self.code)


def validate_answer(question: Question, raw: str, *, today: dt.date | None = None) -> AnswerValue:
    """The value to store, or AnswerError. `raw` is what the person typed or the button's value
    (a choice option id, "yes"/"no"). `today` is needed for past/future date questions."""
    text = normalize_text(raw or "")
    if not text:
        raise AnswerError("required")
    if question.type == "choice":
        return _choice(question, text)
    if question.type == "yes_no":
        key = search_key_compact(text)
        if key in _YES:
            return True
        if key in _NO:
            return False
        raise AnswerError("yes_no.invalid")
    if question.type == "number":
        return _number(question, text)
    if question.type == "text":
        limit = question.max_length or DEFAULT_TEXT_MAX_LENGTH
        if len(text) > limit:
            raise AnswerError("text.too_long", max_length=limit)
        return text
    if question.type == "jalali_date":
        return _date(question, text, today).isoformat()
    raise AssertionError(f"unhandled question type {question.type}")  # pragma: no cover


def _choice(question: Question, text: str) -> str:
    if question.option(text) is not None:
        return text
    key = search_key_compact(text)
    for option in question.options:
        if key in (search_key_compact(option.fa), search_key_compact(option.en)):
            return option.id
    raise AnswerError("choice.unknown")


def _number(question: Question, text: str) -> int:
    digits = _NUMBER_SEPARATORS.sub("", normalize_digits(text)).replace("−", "-")
    if not _NUMBER.match(digits) or not digits.lstrip("+-").isascii():
        raise AnswerError("number.invalid")
    if len(digits) > 15:
        raise AnswerError("number.too_large", max=question.max)
    value = int(digits)
    if question.min is not None and value < question.min:
        raise AnswerError("number.too_small", min=question.min)
    if question.max is not None and value > question.max:
        raise AnswerError("number.too_large", max=question.max)
    return value


def _date(question: Question, text: str, today: dt.date | None) -> dt.date:
    # Plans (a "future" date) sit in the years courses run; other dates may go back a lifetime.
    years = PLAN_YEARS if question.date_range == "future" else LIFETIME_YEARS
    try:
        value = read_date(text, years)
    except InvalidJalaliDate as error:
        if error.reason == "out_of_range":
            raise AnswerError(
                "date.out_of_range", first_year=years[0], last_year=years[-1]
            ) from error
        raise AnswerError(f"date.{error.reason}") from error
    if question.date_range != "any":
        if today is None:
            raise ValueError("a past/future date question needs today")
        if question.date_range == "past" and value > today:
            raise AnswerError("date.in_future")
        if question.date_range == "future" and value < today:
            raise AnswerError("date.in_past")
    return value


def is_answered(question: Question, answers: dict[str, Any]) -> bool:
    return answers.get(question.id) is not None
