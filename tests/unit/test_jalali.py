from __future__ import annotations

import datetime as dt

import pytest

from services.jalali import (
    InvalidJalaliDate,
    format_jalali,
    jalali_today,
    parse_jalali,
    to_jalali_text,
    today_in,
)


def test_format_jalali_persian_and_english() -> None:
    assert format_jalali(dt.date(1999, 7, 3), "fa") == "۱۲ تیر ۱۳۷۸"
    assert format_jalali(dt.date(1999, 7, 3), "en") == "12 Tir 1378"
    assert format_jalali(dt.date(2026, 11, 25), "fa") == "۴ آذر ۱۴۰۵"


@pytest.mark.parametrize(
    "text", ["1378/4/12", "۱۳۷۸/۴/۱۲", "١٣٧٨-٠٤-١٢", "1378.04.12", " 1378 / 4 / 12 "]
)
def test_parse_jalali_accepts_usual_forms(text: str) -> None:
    assert parse_jalali(text) == dt.date(1999, 7, 3)


def test_parse_jalali_leap_years() -> None:
    assert parse_jalali("۱۴۰۳/۱۲/۳۰") == dt.date(2025, 3, 20)
    with pytest.raises(InvalidJalaliDate) as error:
        parse_jalali("۱۴۰۴/۱۲/۳۰")
    assert error.value.reason == "not_exist"


@pytest.mark.parametrize("text", ["", "78/4/12", "1378/4", "1378/4/12/1", "tomorrow", "13780412"])
def test_parse_jalali_rejects_bad_format(text: str) -> None:
    with pytest.raises(InvalidJalaliDate) as error:
        parse_jalali(text)
    assert error.value.reason == "format"


@pytest.mark.parametrize("text", ["1378/13/1", "1378/0/10", "1378/7/31", "1378/1/0"])
def test_parse_jalali_rejects_days_that_do_not_exist(text: str) -> None:
    with pytest.raises(InvalidJalaliDate) as error:
        parse_jalali(text)
    assert error.value.reason == "not_exist"


def test_round_trip_through_text() -> None:
    day = dt.date(2026, 12, 6)
    assert to_jalali_text(day) == "1405/09/15"
    assert parse_jalali(to_jalali_text(day)) == day


def test_jalali_today_uses_the_given_time_zone() -> None:
    assert jalali_today().to_gregorian() == today_in("Asia/Tehran")
    assert jalali_today("UTC").to_gregorian() == dt.datetime.now(dt.UTC).date()
