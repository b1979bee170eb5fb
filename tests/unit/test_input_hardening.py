"""Tables for the input rules: Gregorian dates where Jalali ones are asked, national codes with
an all-zero middle, direction marks around numbers, two-word names, search folding, ZWNJ."""

from __future__ import annotations

import datetime as dt

import pytest

from services.catalog_import import RawRow, validate_rows
from services.jalali import (
    BIRTH_YEARS,
    LIFETIME_YEARS,
    PLAN_YEARS,
    InvalidJalaliDate,
    read_date,
    split_date,
)
from services.programs.answers import AnswerError, validate_answer
from services.programs.model import Question
from services.text import ZWNJ, normalize_text, search_key, search_key_compact, strip_bidi_marks
from services.validators import (
    ERROR_CODES,
    ValidationError,
    parse_decile,
    validate_birth_date,
    validate_full_name,
    validate_mobile,
    validate_national_code,
    validate_relief_client_number,
)
from tests.catalog.helpers import sample_rows

TODAY = dt.date(2026, 11, 25)
D = dt.date
GOOD = sample_rows()[0]


def _code(call: object, *args: object) -> str:
    with pytest.raises(ValidationError) as error:
        call(*args)  # type: ignore[operator]
    assert error.value.code in ERROR_CODES
    return error.value.code


# ---- one rule for dates: Gregorian years are converted, Jalali years must be sane


@pytest.mark.parametrize(
    ("text", "years", "expected"),
    [
        ("2027-01-15", PLAN_YEARS, D(2027, 1, 15)),
        ("۲۰۲۷/۰۱/۱۵", PLAN_YEARS, D(2027, 1, 15)),
        ("2027.1.15", PLAN_YEARS, D(2027, 1, 15)),
        ("1900/1/1", BIRTH_YEARS, D(1900, 1, 1)),
        ("2100/12/31", PLAN_YEARS, D(2100, 12, 31)),
        ("2024/2/29", PLAN_YEARS, D(2024, 2, 29)),
        ("1403/1/1", PLAN_YEARS, D(2024, 3, 20)),
        ("1403/12/30", PLAN_YEARS, D(2025, 3, 20)),  # 1403 is a leap year
        ("1400/1/1", PLAN_YEARS, D(2021, 3, 21)),
        ("1390/1/1", PLAN_YEARS, D(2011, 3, 21)),  # first plan year
        ("1300/1/1", BIRTH_YEARS, D(1921, 3, 21)),  # first birth year
        ("1357/11/22", BIRTH_YEARS, D(1979, 2, 11)),
        ("۱۳۷۸/۴/۱۲", BIRTH_YEARS, D(1999, 7, 3)),
        ("1320/5/6", LIFETIME_YEARS, D(1941, 7, 28)),
        ("\u200f1403/01/01\u200e", PLAN_YEARS, D(2024, 3, 20)),
        ("\u20661403/1/1\u2069", PLAN_YEARS, D(2024, 3, 20)),
        ("\u202b1403\u061c/1/1\u202c", PLAN_YEARS, D(2024, 3, 20)),
        ("\u202d2027-01-15\u202c", PLAN_YEARS, D(2027, 1, 15)),
    ],
)
def test_read_date_accepts(text: str, years: range, expected: dt.date) -> None:
    assert read_date(text, years) == expected


@pytest.mark.parametrize(
    ("text", "years", "reason"),
    [
        ("1500/1/1", PLAN_YEARS, "out_of_range"),
        ("1500/1/1", BIRTH_YEARS, "out_of_range"),
        ("2648/10/25", PLAN_YEARS, "out_of_range"),  # what 2027-01-15 used to become
        ("1481/1/1", PLAN_YEARS, "out_of_range"),
        ("1389/12/29", PLAN_YEARS, "out_of_range"),
        ("1299/12/29", BIRTH_YEARS, "out_of_range"),
        ("1899/12/31", LIFETIME_YEARS, "out_of_range"),
        ("2101/1/1", PLAN_YEARS, "out_of_range"),
        ("1000/1/1", LIFETIME_YEARS, "out_of_range"),
        ("9999/1/1", PLAN_YEARS, "out_of_range"),
        ("2027/2/29", PLAN_YEARS, "not_exist"),
        ("2027/13/1", PLAN_YEARS, "not_exist"),
        ("2027/4/31", PLAN_YEARS, "not_exist"),
        ("1404/12/30", PLAN_YEARS, "not_exist"),  # 1404 is a common year
        ("1403/7/31", PLAN_YEARS, "not_exist"),
        ("15/01/2027", PLAN_YEARS, "format"),
        ("1403/1", PLAN_YEARS, "format"),
        ("\u200e", PLAN_YEARS, "format"),
    ],
)
def test_read_date_refuses(text: str, years: range, reason: str) -> None:
    with pytest.raises(InvalidJalaliDate) as error:
        read_date(text, years)
    assert error.value.reason == reason


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1990-05-06", D(1990, 5, 6)),
        ("1370/5/6", D(1991, 7, 28)),
        ("\u200e1370/5/6\u200f", D(1991, 7, 28)),
    ],
)
def test_birth_date_accepts_both_calendars(text: str, expected: dt.date) -> None:
    assert validate_birth_date(text, TODAY) == expected


@pytest.mark.parametrize("text", ["1500/1/1", "1250/1/1", "1850/1/1", "2648/10/25", "2020/1/1"])
def test_birth_date_out_of_window_or_age(text: str) -> None:
    assert _code(validate_birth_date, text, TODAY) == "date.out_of_range"


def _date_question(date_range: str) -> Question:
    return Question.model_validate(
        {"id": "available_from", "type": "jalali_date", "date_range": date_range,
         "text": {"fa": "از چه تاریخی؟", "en": "From when?"}}
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2027-01-15", D(2027, 1, 15)),
        ("1405/10/25", D(2027, 1, 15)),
        ("1406/1/1", D(2027, 3, 21)),
        ("\u200e2027/1/15\u200f", D(2027, 1, 15)),
    ],
)
def test_available_from_reads_gregorian_as_gregorian(text: str, expected: dt.date) -> None:
    assert validate_answer(_date_question("future"), text, today=TODAY) == expected.isoformat()


@pytest.mark.parametrize("text", ["2648/10/25", "1500/1/1", "1481/1/1"])
def test_available_from_refuses_years_outside_the_plan_window(text: str) -> None:
    with pytest.raises(AnswerError) as error:
        validate_answer(_date_question("future"), text, today=TODAY)
    assert error.value == AnswerError("date.out_of_range", first_year=1390, last_year=1480)


def test_a_past_date_question_goes_back_a_lifetime() -> None:
    assert validate_answer(_date_question("past"), "1340/1/1", today=TODAY) == "1961-03-21"


def test_split_date_strips_direction_marks() -> None:
    assert split_date("\u2067۱۴۰۳/۰۱/۰۱\u2069") == (1403, 1, 1)


# ---- national code: the six digits after the area code are never all zero


@pytest.mark.parametrize(
    "raw",
    [
        "0010000003",  # checksum right, middle all zero
        "10000003",  # the same, left-padded
        "1230000003",
        "9990000001",
        "۰۰۱۰۰۰۰۰۰۳",
        "\u200e0010000003\u200f",
    ],
)
def test_national_code_with_an_all_zero_middle_is_refused(raw: str) -> None:
    assert _code(validate_national_code, raw) == "national_code.checksum"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0010000011", "0010000011"),  # zeros, but not all six
        ("0012345679", "0012345679"),
        ("\u200e0012345679\u200f", "0012345679"),
        ("\u202a001-234-5679\u202c", "0012345679"),
        ("\u2066۰۰۱۲۳۴۵۶۷۹\u2069", "0012345679"),
        ("\u061c0012345679", "0012345679"),
        ("\u202e0012345679\u202c", "0012345679"),
        ("\u2068 001 234 5679 \u2069", "0012345679"),
    ],
)
def test_national_code_accepted_with_marks_around(raw: str, expected: str) -> None:
    assert validate_national_code(raw) == expected


# ---- direction marks around other numbers


@pytest.mark.parametrize(
    "raw",
    [
        "\u200e+98 912 123 4567\u200e",
        "\u200f09121234567",
        "\u2066۰۹۱۲۱۲۳۴۵۶۷\u2069",
        "\u061c0912-123-4567",
        "\u202b+989121234567\u202c",
    ],
)
def test_mobile_with_direction_marks(raw: str) -> None:
    assert validate_mobile(raw) == "09121234567"


def test_client_number_and_decile_with_direction_marks() -> None:
    assert validate_relief_client_number("\u200e123456\u200f") == "123456"
    assert parse_decile("\u2067۳\u2069") == 3


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\u200eabc\u200f", "abc"),
        ("\u202a\u202b\u202c\u202d\u202ex", "x"),
        ("\u2066\u2067\u2068\u2069y", "y"),
        ("\u061cz", "z"),
        ("a" + ZWNJ + "b", "a" + ZWNJ + "b"),  # ZWNJ is spelling, not direction
    ],
)
def test_strip_bidi_marks(raw: str, expected: str) -> None:
    assert strip_bidi_marks(raw) == expected


# ---- full names: two words at least


@pytest.mark.parametrize(
    "raw",
    ["علی", "Maryam", "علی" + ZWNJ + "رضا", "مریم" + ZWNJ * 2 + "احمدی", "  مریم  ", "Mary-Jane"],
)
def test_full_name_needs_two_words(raw: str) -> None:
    assert _code(validate_full_name, raw) == "name.one_word"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("علی" + ZWNJ + "رضا احمدی", "علی" + ZWNJ + "رضا احمدی"),
        ("مریم " + ZWNJ + " احمدی", "مریم احمدی"),
        ("مریم" + ZWNJ + " احمدی", "مریم احمدی"),
        ("مریم " + ZWNJ * 3 + "  احمدی" + ZWNJ, "مریم احمدی"),
        ("\u200fمریم احمدی\u200e", "مریم احمدی"),
        ("Maryam \u2066Ahmadi\u2069", "Maryam Ahmadi"),
    ],
)
def test_full_name_normalized(raw: str, expected: str) -> None:
    assert validate_full_name(raw) == expected


# ---- ZWNJ next to spaces


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a " + ZWNJ + " b", "a b"),
        ("a" + ZWNJ + " b", "a b"),
        ("a " + ZWNJ + "b", "a b"),
        ("a " + ZWNJ * 2 + "   b", "a b"),
        ("a" + ZWNJ * 3 + "b", "a" + ZWNJ + "b"),
        (ZWNJ + " علی " + ZWNJ, "علی"),
        ("علی" + ZWNJ * 2, "علی"),
        ("می" + ZWNJ + "روم", "می" + ZWNJ + "روم"),
        ("a" + (" " + ZWNJ) * 500 + "b", "a b"),
    ],
)
def test_normalize_text_zwnj_around_spaces(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


# ---- search folding


@pytest.mark.parametrize(
    ("variant", "plain"),
    [
        ("ھنر", "هنر"),  # U+06BE
        ("ڪار", "کار"),  # U+06AA
        ("ﻛﺎﺭ", "کار"),  # presentation forms B
        ("ﺳﻼﻡ", "سلام"),
        ("ﻻ", "لا"),
        ("\ufb8e", "ک"),  # keheh, presentation forms A
        ("\ufbfc", "ی"),  # farsi yeh, isolated
        ("ﻳ", "ی"),  # yeh, initial form: folded to the Persian yeh
        ("\ufdf2", "الله"),
        ("ﺁﺭﺍﯾﺸﮕﺮﯼ", "ارایشگری"),
        ("\ufeffخیاطی", "خیاطی"),  # the BOM in that block is dropped, not kept
    ],
)
def test_search_key_folds_variants(variant: str, plain: str) -> None:
    assert search_key(variant) == search_key(plain) == plain


@pytest.mark.parametrize("text", ["①", "ﬁ", "½", "x²"])
def test_search_key_leaves_other_compatibility_characters(text: str) -> None:
    assert search_key(text) == text.lower()


def test_search_key_compact_joins_presentation_forms_and_zwnj() -> None:
    assert search_key_compact("ﺛﺒﺖ" + ZWNJ + "ﻧﺎﻡ") == search_key_compact("ثبت نام") == "ثبتنام"


# ---- the catalog import reads course dates by the same rule


@pytest.mark.parametrize(
    ("start", "error"),
    [("2648/10/25", "date.out_of_range"), ("1500/1/1", "date.out_of_range"),
     ("1389/1/1", "date.out_of_range"), ("2027/2/30", "date.not_exist")],
)
def test_catalog_import_refuses_course_years_outside_the_window(start: str, error: str) -> None:
    _, errors = validate_rows([RawRow(line=2, values={**GOOD, "start_date": start})])
    assert [(e.column, e.reason_code) for e in errors] == [("start_date", error)]


def test_catalog_import_converts_a_gregorian_start_date() -> None:
    inputs, errors = validate_rows([RawRow(line=2, values={**GOOD, "start_date": "2027-01-15"})])
    assert errors == [] and inputs[0].start_date == D(2027, 1, 15)
