"""Row rules of the catalog import, without a database."""

from __future__ import annotations

import datetime as dt

import pytest

from services.catalog_import import ROW_ERROR_CODES, RawRow, describe_error, validate_rows
from tests.catalog.helpers import sample_rows

GOOD = sample_rows()[0]  # C001: private, rank 2, 1405/09/15
GOVERNMENT = sample_rows()[2]  # C003: government, no rank


def check(changes: dict[str, str], base: dict[str, str] = GOOD) -> list[tuple[str, str]]:
    row = RawRow(line=7, values={**base, **changes})
    inputs, errors = validate_rows([row])
    assert all(error.line == 7 for error in errors)
    assert (len(inputs) == 1) == (not errors)
    return [(error.column, error.reason_code) for error in errors]


def test_good_row_is_converted() -> None:
    inputs, errors = validate_rows([RawRow(line=2, values=GOOD)])
    assert errors == []
    (course,) = inputs
    assert course.course_code == "C001"
    assert course.start_date == dt.date(2026, 12, 6)  # 1405/09/15
    assert (course.center_type, course.center_rank) == ("private", 2)
    assert (course.capacity, course.seats_taken, course.fee_rial) == (12, 5, 52_000_000)
    assert (course.karafan, course.dormitory, course.delivery) == (False, False, "in_person")
    assert "خیاط" in course.search_text and "women's garment tailor" in course.search_text
    assert "کرمانشاه" in course.search_text


def test_persian_digits_spelling_variants_and_grouping_are_accepted() -> None:
    changes = {
        "capacity": "۱۲",
        "seats_taken": "٥",
        "fee_rial": "۵۲٬۰۰۰٬۰۰۰",
        "start_date": "۱۴۰۵/۹/۱۵",
        "province": "كرمانشاه",
        "karafan": "بله",
        "dormitory": "خیر",
        "center_type": "Private",
        "title_en": "",
    }
    inputs, errors = validate_rows([RawRow(line=2, values={**GOOD, **changes})])
    assert errors == []
    (course,) = inputs
    assert (course.capacity, course.seats_taken, course.fee_rial) == (12, 5, 52_000_000)
    assert course.province == "کرمانشاه"
    assert course.start_date == dt.date(2026, 12, 6)
    assert (course.karafan, course.dormitory, course.center_type) == (True, False, "private")
    assert course.title_en is None


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"province": "مشهد"}, ("province", "unknown_province")),
        ({"province": ""}, ("province", "required")),
        ({"hours_theory": "-1"}, ("hours_theory", "out_of_range")),
        ({"hours_practice": "ده"}, ("hours_practice", "not_integer")),
        ({"hours_practice": "12.5"}, ("hours_practice", "not_integer")),
        ({"capacity": "0"}, ("capacity", "out_of_range")),
        ({"seats_taken": "13"}, ("seats_taken", "seats.over_capacity")),
        ({"seats_taken": "-1"}, ("seats_taken", "out_of_range")),
        ({"fee_rial": "-5"}, ("fee_rial", "out_of_range")),
        ({"fee_rial": "1,5"}, ("fee_rial", "not_integer")),
        ({"start_date": "1404/12/30"}, ("start_date", "date.not_exist")),
        ({"start_date": "15/09/1405"}, ("start_date", "date.format")),
        ({"start_date": ""}, ("start_date", "required")),
        ({"center_type": "ngo"}, ("center_type", "not_allowed_value")),
        ({"center_rank": ""}, ("center_rank", "rank.required_for_private")),
        ({"center_rank": "6"}, ("center_rank", "out_of_range")),
        ({"center_rank": "0"}, ("center_rank", "out_of_range")),
        ({"hamnava_coverage_pct": "101"}, ("hamnava_coverage_pct", "out_of_range")),
        ({"karafan": "maybe"}, ("karafan", "not_yes_no")),
        ({"dormitory": ""}, ("dormitory", "required")),
        ({"delivery": "online"}, ("delivery", "not_allowed_value")),
        ({"title_fa": "  "}, ("title_fa", "required")),
        ({"center_name": ""}, ("center_name", "required")),
        ({"course_code": "X" * 33}, ("course_code", "too_long")),
        ({"course_code": "دوره۱"}, ("course_code", "code.bad_shape")),
        ({"course_code": "C 001"}, ("course_code", "code.bad_shape")),
        ({"course_code": "C001';--"}, ("course_code", "code.bad_shape")),
    ],
)
def test_each_rule(changes: dict[str, str], expected: tuple[str, str]) -> None:
    assert check(changes) == [expected]


def test_government_center_must_not_have_a_rank() -> None:
    assert check({}, GOVERNMENT) == []
    assert check({"center_rank": "3"}, GOVERNMENT) == [
        ("center_rank", "rank.not_allowed_for_government")
    ]


def test_all_errors_of_a_row_are_reported_in_column_order() -> None:
    assert check({"delivery": "x", "province": "x", "capacity": "x"}) == [
        ("province", "unknown_province"),
        ("capacity", "not_integer"),
        ("delivery", "not_allowed_value"),
    ]


def test_extra_cells_are_an_error() -> None:
    _, errors = validate_rows([RawRow(line=3, values=GOOD, overflow=("surprise",))])
    assert [(e.column, e.reason_code, e.value) for e in errors] == [
        ("", "too_many_cells", "surprise")
    ]


def test_duplicate_code_flags_the_later_line_only() -> None:
    rows = [
        RawRow(line=2, values=GOOD),
        RawRow(line=3, values=GOVERNMENT),
        RawRow(line=4, values={**GOVERNMENT, "course_code": "C۰۰۱"}),  # same code, Persian digits
    ]
    inputs, errors = validate_rows(rows)
    assert [course.course_code for course in inputs] == ["C001", "C003"]
    assert [(e.line, e.column, e.reason_code) for e in errors] == [
        (4, "course_code", "duplicate_code")
    ]


def test_every_row_code_has_a_description() -> None:
    for code in ROW_ERROR_CODES:
        assert describe_error(code) != code
