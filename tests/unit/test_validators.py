from __future__ import annotations

import datetime as dt

import pytest

from services.text import ZWNJ
from services.validators import (
    ERROR_CODES,
    ValidationError,
    parse_decile,
    validate_birth_date,
    validate_city,
    validate_full_name,
    validate_mobile,
    validate_national_code,
    validate_relief_client_number,
)

TODAY = dt.date(2026, 11, 25)


def code_of(call: object, *args: object) -> str:
    with pytest.raises(ValidationError) as error:
        call(*args)  # type: ignore[operator]
    assert error.value.code in ERROR_CODES
    return error.value.code


# ---- national code


@pytest.mark.parametrize(
    "raw",
    ["0012345679", "۰۰۱۲۳۴۵۶۷۹", "٠٠١٢٣٤٥٦٧٩", "001-234567-9", " 001 234 5679 ",
     f"001{ZWNJ}2345679", "001.234.5679"],
)  # fmt: skip
def test_national_code_valid_forms(raw: str) -> None:
    assert validate_national_code(raw) == "0012345679"


def test_national_code_left_pads_eight_and_nine_digits() -> None:
    assert validate_national_code("12345679") == "0012345679"
    assert validate_national_code("012345679") == "0012345679"


def test_national_code_checksum_both_branches() -> None:
    # 1234567891: s = 1*10+2*9+...+9*2 = 210, r = 1 (< 2) -> check digit is r.
    assert validate_national_code("1234567891") == "1234567891"
    # 2000001009: s = 2*10 + 1*4 = 24, r = 2 (>= 2) -> check digit is 11 - r = 9.
    assert validate_national_code("2000001009") == "2000001009"
    assert code_of(validate_national_code, "2000001002") == "national_code.checksum"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("0012345670", "national_code.checksum"),
        ("001234567a", "national_code.not_digits"),
        ("کدملی", "national_code.not_digits"),
        ("1111111111", "national_code.same_digits"),
        ("۰۰۰۰۰۰۰۰۰۰", "national_code.same_digits"),
        ("1234567", "national_code.length"),
        ("00123456790", "national_code.length"),
        ("", "national_code.length"),
        ("  - ", "national_code.length"),
    ],
)
def test_national_code_rejections(raw: str, code: str) -> None:
    assert code_of(validate_national_code, raw) == code


# ---- mobile


@pytest.mark.parametrize(
    "raw",
    ["09121234567", "9121234567", "+989121234567", "00989121234567", "989121234567",
     "۰۹۱۲۱۲۳۴۵۶۷", "٠٩١٢١٢٣٤٥٦٧", "0912 123 4567", "0912-123-4567", "(0912) 123-4567",
     "+98 912 123 4567", "+98 0912 123 4567"],
)  # fmt: skip
def test_mobile_valid_forms(raw: str) -> None:
    assert validate_mobile(raw) == "09121234567"


@pytest.mark.parametrize(
    "raw",
    ["+14155552671", "+447911123456", "02112345678", "0912123456", "091212345678", "", "abc",
     "+9809121234567x", "08121234567"],
)  # fmt: skip
def test_mobile_rejections(raw: str) -> None:
    assert code_of(validate_mobile, raw) == "mobile.invalid"


# ---- full name


def test_full_name_normalizes() -> None:
    assert validate_full_name("  علي   كريمي ") == "علی کریمی"
    assert validate_full_name(f"زهرا میر{ZWNJ}حسینی") == f"زهرا میر{ZWNJ}حسینی"
    assert validate_full_name("Sara O'Neil-Smith Jr.") == "Sara O'Neil-Smith Jr."


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "name.empty"),
        ("   ", "name.empty"),
        ("علی" * 2000, "name.too_long"),
        ("ب" * 5000, "name.too_long"),
        ("عل", "name.too_short"),
        ("علی ۱۲۳", "name.digits"),
        ("Ali 2", "name.digits"),
        ("علی@کریمی", "name.not_letters"),
        ("Алексей", "name.not_letters"),
        ("- . -", "name.not_letters"),
        ("ع .", "name.not_letters"),
    ],
)
def test_full_name_rejections(raw: str, code: str) -> None:
    assert code_of(validate_full_name, raw) == code


# ---- birth date


@pytest.mark.parametrize(
    "raw", ["1378/4/12", "۱۳۷۸/۴/۱۲", "1378-04-12", "1378.04.12", "١٣٧٨/٠٤/١٢"]
)
def test_birth_date_jalali_forms(raw: str) -> None:
    assert validate_birth_date(raw, TODAY) == dt.date(1999, 7, 3)


def test_birth_date_gregorian_year_is_taken_as_gregorian() -> None:
    assert validate_birth_date("1999-07-03", TODAY) == dt.date(1999, 7, 3)


def test_birth_date_leap_year_rules() -> None:
    today = dt.date(2045, 1, 1)
    assert validate_birth_date("۱۴۰۳/۱۲/۳۰", today) == dt.date(2025, 3, 20)
    assert code_of(validate_birth_date, "۱۴۰۴/۱۲/۳۰", today) == "date.not_exist"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("78/4/12", "date.format"),
        ("1378/4", "date.format"),
        ("دیروز", "date.format"),
        ("", "date.format"),
        ("1378/13/01", "date.not_exist"),
        ("1378/07/31", "date.not_exist"),
        ("1999/02/30", "date.not_exist"),
        ("1400/01/01", "date.out_of_range"),  # 5 years old
        ("1320/01/01", "date.out_of_range"),  # 84 years old
        ("1406/01/01", "date.future"),  # in the future: said so, not "out of range"
    ],
)
def test_birth_date_rejections(raw: str, code: str) -> None:
    assert code_of(validate_birth_date, raw, TODAY) == code


def test_birth_date_age_bounds_are_inclusive() -> None:
    # 15th birthday today is allowed; one day short of it is not.
    assert validate_birth_date("2011-11-25", TODAY) == dt.date(2011, 11, 25)
    assert code_of(validate_birth_date, "2011-11-26", TODAY) == "date.out_of_range"
    assert validate_birth_date("1955-11-26", TODAY) == dt.date(1955, 11, 26)
    assert code_of(validate_birth_date, "1955-11-25", TODAY) == "date.out_of_range"


# ---- city, client number, decile


def test_city() -> None:
    assert validate_city(" خرم‌آباد ") == "خرم‌آباد"
    assert validate_city("بندر عباس") == "بندر عباس"
    assert code_of(validate_city, "") == "city.empty"
    assert code_of(validate_city, "ق") == "city.too_short"
    assert code_of(validate_city, "ش" * 61) == "city.too_long"
    assert code_of(validate_city, "تهران ۲") == "city.not_letters"


def test_relief_client_number() -> None:
    assert validate_relief_client_number("۱۲۳-۴۵۶ ۷۸") == "12345678"
    assert code_of(validate_relief_client_number, " ") == "client_number.empty"
    assert code_of(validate_relief_client_number, "12a4") == "client_number.not_digits"
    assert code_of(validate_relief_client_number, "123") == "client_number.length"
    assert code_of(validate_relief_client_number, "1" * 21) == "client_number.length"


def test_parse_decile() -> None:
    assert parse_decile("۳") == 3
    assert parse_decile("10") == 10
    assert parse_decile("نمي‌دانم") is None
    assert parse_decile("نمیدونم") is None
    assert code_of(parse_decile, "0") == "decile.out_of_range"
    assert code_of(parse_decile, "11") == "decile.out_of_range"
    assert code_of(parse_decile, "سه") == "decile.invalid"


def test_error_codes_are_unique_and_validation_error_refuses_unknown_codes() -> None:
    assert len(set(ERROR_CODES)) == len(ERROR_CODES)
    with pytest.raises(ValueError, match="unknown validation code"):
        ValidationError("nope")


def test_export_says_client_number_unknown_plainly() -> None:
    from services.applications.export import _client_number

    assert _client_number(True, None) == "unknown"
    assert _client_number(True, "123456") == "123456"
    assert _client_number(False, None) is None
