"""An exam's moment as staff type it: a Jalali day and a clock time in TIMEZONE, stored UTC.

A Gregorian date is refused with a hint (never converted, never read as a Jalali year): a
clerk who typed 2026-12-20 by habit must notice, not get an exam in another month."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from services.exams.model import ExamError
from services.jalali import PLAN_YEARS, InvalidJalaliDate, read_jalali_only
from services.text import normalize_digits, strip_bidi_marks

# Seconds are only taken as «:00»: an XLSX time cell reads as 09:30:00.
_CLOCK = re.compile(r"^(\d{1,2})\s*[:٫.]\s*(\d{2})(?::00)?$")


def parse_day(text: str) -> dt.date:
    try:
        return read_jalali_only(text, PLAN_YEARS)
    except InvalidJalaliDate as exc:
        raise ExamError(f"date.{exc.reason}", text) from exc


def parse_clock(text: str) -> dt.time:
    """«۹:۳۰», 09:30, 9.30 -> 09:30."""
    match = _CLOCK.match(normalize_digits(strip_bidi_marks(text)).strip())
    if match is None:
        raise ExamError("time.format", text)
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        raise ExamError("time.format", text)
    return dt.time(hour, minute)


def exam_moment(date_text: str, time_text: str, timezone: str) -> dt.datetime:
    """The UTC moment of a Jalali day and a clock time in `timezone`."""
    day = parse_day(date_text)
    clock = parse_clock(time_text)
    local = dt.datetime.combine(day, clock, tzinfo=ZoneInfo(timezone))
    return local.astimezone(dt.UTC)


def parse_reminder_hours(text: str) -> tuple[int, ...]:
    """EXAM_REMINDER_HOURS: "24,2" -> (24, 2); empty means no reminders. Each 1..720."""
    hours: set[int] = set()
    for part in text.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit() or not 1 <= int(part) <= 720:
            raise ValueError(f"EXAM_REMINDER_HOURS: {part!r} is not a whole number of hours "
                             "from 1 to 720")
        hours.add(int(part))
    return tuple(sorted(hours, reverse=True))
