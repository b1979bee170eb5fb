"""Jalali (Solar Hijri) dates: storage is Gregorian, people read and type Jalali."""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal
from zoneinfo import ZoneInfo

from persiantools.jdatetime import MONTH_NAMES_EN, MONTH_NAMES_FA, JalaliDate

from services.text import is_persian_locale, normalize_digits, strip_bidi_marks, to_persian_digits

# Separators people actually type between year, month and day, including the Arabic decimal mark.
_JALALI_PATTERN = re.compile(r"^(\d{4})\s*[/\-.٫]\s*(\d{1,2})\s*[/\-.٫]\s*(\d{1,2})$")


# Years that can only be Gregorian: no living person nor any planned course has such a Jalali
# year (1900 SH is 2521 AD), so a date with one was typed in the Gregorian calendar.
GREGORIAN_YEARS = range(1900, 2101)
# Sane Jalali years per use. Birth dates: 1300 SH is 1921 AD (the age rule narrows it further).
BIRTH_YEARS = range(1300, 1500)
# Course dates and "available from": 1390 SH is 2011 AD, 1480 SH is 2101 AD.
PLAN_YEARS = range(1390, 1481)
# Any other date a person reports (past events of a lifetime, or plans).
LIFETIME_YEARS = range(1300, 1481)

DateError = Literal["format", "not_exist", "out_of_range", "gregorian"]


class InvalidJalaliDate(ValueError):
    """`reason` is "format" (not Y/M/D), "not_exist" (e.g. 30 Esfand of a common year) or
    "out_of_range" (a year outside the window of the question, see `read_date`)."""

    def __init__(self, reason: DateError, text: str) -> None:
        super().__init__(f"invalid Jalali date ({reason}): {text!r}")
        self.reason = reason
        self.text = text


def split_date(text: str) -> tuple[int, int, int]:
    """Year, month, day from «۱۳۷۸/۴/۱۲», 1378-04-12, 1378.4.12 ...; no calendar check."""
    match = _JALALI_PATTERN.match(normalize_digits(strip_bidi_marks(text)).strip())
    if match is None:
        raise InvalidJalaliDate("format", text)
    year, month, day = (int(part) for part in match.groups())
    return year, month, day


def jalali_to_gregorian(year: int, month: int, day: int, *, text: str = "") -> dt.date:
    try:
        return JalaliDate(year, month, day).to_gregorian()
    except ValueError as exc:
        raise InvalidJalaliDate("not_exist", text or f"{year}/{month}/{day}") from exc


def parse_jalali(text: str) -> dt.date:
    """A typed Jalali date as a Gregorian `date`; raises InvalidJalaliDate."""
    year, month, day = split_date(text)
    return jalali_to_gregorian(year, month, day, text=text)


def read_date(text: str, jalali_years: range) -> dt.date:
    """The one rule for a typed date where a Jalali one is asked for, as a Gregorian `date`.

    A year that can only be Gregorian (GREGORIAN_YEARS) is read as Gregorian: «2027-01-15» is
    15 January 2027, never the Jalali year 2027. Any other year must lie in `jalali_years`
    (BIRTH_YEARS, PLAN_YEARS ...), else "out_of_range". Raises InvalidJalaliDate."""
    year, month, day = split_date(text)
    if year in GREGORIAN_YEARS:
        try:
            return dt.date(year, month, day)
        except ValueError as exc:
            raise InvalidJalaliDate("not_exist", text) from exc
    if year not in jalali_years:
        raise InvalidJalaliDate("out_of_range", text)
    return jalali_to_gregorian(year, month, day, text=text)


def read_jalali_only(text: str, jalali_years: range) -> dt.date:
    """A date where only a Jalali one is accepted (e.g. an exam's day): a Gregorian year is
    refused ("gregorian", so the answer can hint at the Jalali form) rather than converted,
    and never read as a Jalali year. Raises InvalidJalaliDate."""
    year, month, day = split_date(text)
    if year in GREGORIAN_YEARS:
        raise InvalidJalaliDate("gregorian", text)
    if year not in jalali_years:
        raise InvalidJalaliDate("out_of_range", text)
    return jalali_to_gregorian(year, month, day, text=text)


def to_jalali_text(value: dt.date) -> str:
    """Machine form YYYY/MM/DD with ASCII digits (exports, CSV)."""
    jalali = JalaliDate(value)
    return f"{jalali.year:04d}/{jalali.month:02d}/{jalali.day:02d}"


def format_jalali(value: dt.date, locale: str | None) -> str:
    """«۱۲ تیر ۱۳۷۸» for Persian, "12 Tir 1378" otherwise."""
    jalali = JalaliDate(value)
    if is_persian_locale(locale):
        return to_persian_digits(f"{jalali.day} {MONTH_NAMES_FA[jalali.month]} {jalali.year}")
    return f"{jalali.day} {MONTH_NAMES_EN[jalali.month]} {jalali.year}"


def jalali_today(tz: str = "Asia/Tehran") -> JalaliDate:
    # The server may run in UTC; between 20:30 and 24:00 UTC it is already tomorrow in Tehran.
    return JalaliDate(dt.datetime.now(ZoneInfo(tz)).date())


def today_in(tz: str = "Asia/Tehran") -> dt.date:
    return dt.datetime.now(ZoneInfo(tz)).date()


def local_date(moment: dt.datetime, tz: str) -> dt.date:
    """The day a stored moment fell on in `tz`; a naive moment is UTC (SQLite hands those back)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(ZoneInfo(tz)).date()
