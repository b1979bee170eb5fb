"""An exam's day and time as staff type them, and EXAM_REMINDER_HOURS."""

from __future__ import annotations

import datetime as dt

import pytest

from services.exams import ExamError, exam_moment, next_step, parse_clock, parse_day
from services.exams.dates import parse_reminder_hours
from services.exams.model import NextStep


def test_jalali_days_in_any_digits() -> None:
    assert parse_day("1405/10/15") == dt.date(2027, 1, 5)
    assert parse_day("۱۴۰۵/۱۰/۱۵") == dt.date(2027, 1, 5)
    assert parse_day("1403/12/30") == dt.date(2025, 3, 20)  # 1403 is a leap year


@pytest.mark.parametrize(("text", "code"), [
    ("1403/07/31", "date.not_exist"),  # months 7..11 have 30 days
    ("1404/12/30", "date.not_exist"),  # 1404 is a common year
    ("1403/12/31", "date.not_exist"),
    ("2026-12-20", "date.gregorian"),  # never converted, never read as a Jalali year
    ("2026/12/20", "date.gregorian"),
    ("۲۰۲۶/۱۲/۲۰", "date.gregorian"),
    ("1300/01/01", "date.out_of_range"),
    ("15 Dey", "date.format"),
])
def test_bad_days(text: str, code: str) -> None:
    with pytest.raises(ExamError) as caught:
        parse_day(text)
    assert caught.value.code == code


def test_clock_and_moment_in_tehran() -> None:
    assert parse_clock("۹:۳۰") == dt.time(9, 30)
    assert parse_clock("14.05") == dt.time(14, 5)
    assert parse_clock("09:30:00") == dt.time(9, 30)  # an XLSX time cell
    for bad in ("24:00", "9:60", "noon", "9"):
        with pytest.raises(ExamError):
            parse_clock(bad)
    # 1405/10/15 09:30 in Tehran (UTC+03:30) is 06:00 UTC.
    assert exam_moment("1405/10/15", "09:30", "Asia/Tehran") == dt.datetime(
        2027, 1, 5, 6, 0, tzinfo=dt.UTC
    )


def test_reminder_hours() -> None:
    assert parse_reminder_hours("24,2") == (24, 2)
    assert parse_reminder_hours(" 2 ; 24, 2 ") == (24, 2)
    assert parse_reminder_hours("") == ()
    for bad in ("0", "-1", "two", "721"):
        with pytest.raises(ValueError):
            parse_reminder_hours(bad)


def test_next_steps() -> None:
    assert next_step("written", True) is NextStep.PRACTICAL
    assert next_step("written", False) is NextStep.RETAKE_WRITTEN
    assert next_step("practical", True) is NextStep.CERTIFICATE
    assert next_step("practical", False) is NextStep.RETAKE_PRACTICAL


def test_setting_is_checked_at_start() -> None:
    from pydantic import ValidationError

    from bot.config import Settings

    assert Settings(exam_reminder_hours="48, 3").exam_reminder_hours == "48, 3"
    with pytest.raises(ValidationError):
        Settings(exam_reminder_hours="24,soon")
