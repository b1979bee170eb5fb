"""The rules of a job lead's typed values (shared by the /joblead form and the import), and the
digest clock's hour in Tehran."""

from __future__ import annotations

import datetime as dt

import pytest

from services.job_leads import DraftError, DraftProblem
from services.job_leads.drafts import build_draft, deadline_value, fields_value, province_value
from services.match_notices import DigestClock

TODAY = dt.date(2026, 12, 3)  # 12 Azar 1405
FIELDS = ["صنایع پوشاک", "برق", "فناوری اطلاعات"]


@pytest.mark.parametrize(("typed", "problem"), [
    ("۱۴۰۵/۰۹/۱۱", DraftProblem.DEADLINE_PASSED),  # yesterday
    ("1405/07/31", DraftProblem.DATE_NOT_EXIST),  # the seventh month has 30 days
    ("1406/12/30", DraftProblem.DATE_NOT_EXIST),  # 1406 is a common year
    ("2027-01-15", DraftProblem.DATE_GREGORIAN),  # never read as Jalali
    ("15/1/2027", DraftProblem.DATE_FORMAT),
    ("فردا", DraftProblem.DATE_FORMAT),
    ("1500/01/01", DraftProblem.DATE_OUT_OF_RANGE),
    ("", DraftProblem.REQUIRED),
])
def test_a_bad_deadline_is_refused_with_its_reason(typed: str, problem: DraftProblem) -> None:
    with pytest.raises(DraftError) as refused:
        deadline_value(typed, TODAY)
    assert refused.value.problem is problem


def test_today_and_later_are_fine_in_any_digits() -> None:
    assert deadline_value("۱۴۰۵/۰۹/۱۲", TODAY) == TODAY
    assert deadline_value("1405-9-20", TODAY) == dt.date(2026, 12, 11)


def test_fields_are_the_catalogs_folded_and_deduplicated() -> None:
    assert fields_value("صنايع پوشاک، برق ,برق", FIELDS) == ("صنایع پوشاک", "برق")
    with pytest.raises(DraftError) as refused:
        fields_value("برق، آشپزی فضایی", FIELDS)
    assert refused.value.problem is DraftProblem.UNKNOWN_FIELD
    assert refused.value.value == "آشپزی فضایی"


def test_province_as_people_write_it() -> None:
    assert province_value("استان تهران") == "تهران"
    with pytest.raises(DraftError):
        province_value("آتلانتیس")


def test_a_row_reports_every_bad_column_at_once() -> None:
    draft, problems = build_draft(
        {"title": "", "employer": "کارگاه", "province": "x", "city": "", "fields": "برق",
         "wage": "-", "deadline": "2027-01-01", "how_to_apply": "تماس"},
        FIELDS, TODAY,
    )
    assert draft is None
    assert [(column, error.problem) for column, error in problems] == [
        ("title", DraftProblem.REQUIRED), ("province", DraftProblem.UNKNOWN_PROVINCE),
        ("deadline", DraftProblem.DATE_GREGORIAN),
    ]


def test_the_digest_clock_counts_in_tehran() -> None:
    clock = DigestClock.of(10, "Asia/Tehran")
    before = dt.datetime(2026, 12, 3, 6, 0, tzinfo=dt.UTC)  # 09:30 in Tehran
    assert clock.next_after(before) == dt.datetime(2026, 12, 3, 6, 30, tzinfo=dt.UTC)
    after = dt.datetime(2026, 12, 3, 7, 0, tzinfo=dt.UTC)  # 10:30 in Tehran
    assert clock.next_after(after) == dt.datetime(2026, 12, 4, 6, 30, tzinfo=dt.UTC)
    late = dt.datetime(2026, 12, 3, 21, 0, tzinfo=dt.UTC)  # 00:30 on the 4th in Tehran
    assert clock.day_start(late) == dt.datetime(2026, 12, 3, 20, 30, tzinfo=dt.UTC)
    assert clock.tomorrows_digest(late) == dt.datetime(2026, 12, 5, 6, 30, tzinfo=dt.UTC)
