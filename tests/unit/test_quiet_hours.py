from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from services.quiet_hours import QuietHours

TEHRAN = ZoneInfo("Asia/Tehran")  # UTC+03:30 all year since 2022


def at(hour: int, minute: int = 0, day: int = 10) -> dt.datetime:
    return dt.datetime(2027, 1, day, hour, minute, tzinfo=TEHRAN)


def test_parse() -> None:
    quiet = QuietHours.parse(" 22:00 - 7:30 ", "Asia/Tehran")
    assert quiet is not None
    assert (quiet.start, quiet.end) == (dt.time(22), dt.time(7, 30))
    assert QuietHours.parse("", "Asia/Tehran") is None
    for wrong in ("22-07", "25:00-07:00", "22:00-22:00", "22:00 07:00", "ab:cd-07:00"):
        with pytest.raises(ValueError):
            QuietHours.parse(wrong, "Asia/Tehran")


def test_a_period_spanning_midnight() -> None:
    quiet = QuietHours.parse("22:00-07:00", "Asia/Tehran")
    assert quiet is not None
    assert [quiet.is_quiet(at(h, m)) for h, m in
            [(21, 59), (22, 0), (23, 30), (0, 0), (6, 59), (7, 0), (12, 0)]] == [
        False, True, True, True, True, False, False]
    # 23:00 Tehran is 19:30 UTC; the period ends at 07:00 Tehran the next day.
    evening = dt.datetime(2027, 1, 10, 19, 30, tzinfo=dt.UTC)
    assert quiet.is_quiet(evening)
    assert quiet.ends_after(evening) == dt.datetime(2027, 1, 11, 3, 30, tzinfo=dt.UTC)
    assert quiet.ends_after(evening).tzinfo is dt.UTC
    assert quiet.ends_after(at(3)) == at(7)  # after midnight: the same morning
    assert quiet.ends_after(at(7)) == at(7, day=11)


def test_a_period_within_a_day() -> None:
    quiet = QuietHours.parse("13:00-15:00", "Asia/Tehran")
    assert quiet is not None
    assert [quiet.is_quiet(at(h)) for h in (12, 13, 14, 15, 23)] == [
        False, True, True, False, False]
    assert quiet.ends_after(at(14)) == at(15)
    assert quiet.ends_after(at(16)) == at(15, day=11)
