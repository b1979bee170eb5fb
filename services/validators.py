"""Validators for what a beneficiary types. Each returns the normalized value or raises
ValidationError with a machine code; handlers map the code to a localized message."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache

from services.jalali import BIRTH_YEARS, InvalidJalaliDate, read_date
from services.provinces import canonical_province
from services.text import (
    ZWNJ,
    normalize_digits,
    normalize_text,
    search_key_compact,
    strip_bidi_marks,
)

ERROR_CODES: tuple[str, ...] = (
    "national_code.not_digits",
    "national_code.length",
    "national_code.same_digits",
    "national_code.checksum",
    "mobile.invalid",
    "name.empty",
    "name.too_short",
    "name.too_long",
    "name.digits",
    "name.not_letters",
    "name.one_word",
    "date.format",
    "date.not_exist",
    "date.out_of_range",
    "date.future",
    "city.empty",
    "city.too_short",
    "city.too_long",
    "city.not_letters",
    "client_number.empty",
    "client_number.not_digits",
    "client_number.length",
    "decile.invalid",
    "decile.out_of_range",
    "province.unknown",
    "contact.not_yours",  # a shared contact that is not the sender's own (ProfileDraft)
)


class ValidationError(ValueError):
    def __init__(self, code: str) -> None:
        if code not in ERROR_CODES:
            # A code missing from ERROR_CODES has no message and would reach the user raw.
            raise ValueError(f"unknown validation code {code!r}")
        super().__init__(code)
        self.code = code


# Whitespace, dashes, dots and ZWNJ that people put between digit groups.
_SEPARATORS = re.compile(f"[\\s\\-‐‑‒–—−_.·٫{ZWNJ}]")


def _digits_only(raw: str) -> str:
    return _SEPARATORS.sub("", normalize_digits(strip_bidi_marks(raw)))


def validate_national_code(raw: str) -> str:
    code = _digits_only(raw)
    if not code.isascii() or not code.isdigit():
        raise ValidationError("national_code.length" if not code else "national_code.not_digits")
    if len(code) in (8, 9):
        # Codes of some older provinces start with zeros that spreadsheets and people drop.
        code = code.zfill(10)
    if len(code) != 10:
        raise ValidationError("national_code.length")
    if len(set(code)) == 1:
        raise ValidationError("national_code.same_digits")
    # The rule of the common implementations (e.g. persian-tools' verifyIranianNationalId):
    # the six digits after the three-digit area code are never all zero.
    if code[3:9] == "000000":
        raise ValidationError("national_code.checksum")
    digits = [int(ch) for ch in code]
    remainder = sum(digits[i] * (10 - i) for i in range(9)) % 11
    expected = remainder if remainder < 2 else 11 - remainder
    if digits[9] != expected:
        raise ValidationError("national_code.checksum")
    return code


# "+98 0912..." is a common way of writing it, so a 0 after the country code is tolerated.
_MOBILE = re.compile(r"^(?:\+98|0098|98)?0?(9\d{9})$")


def validate_mobile(raw: str) -> str:
    compact = re.sub(r"[()\[\]]", "", _digits_only(raw))
    match = _MOBILE.match(compact)
    if match is None:
        raise ValidationError("mobile.invalid")
    return "0" + match.group(1)


_NAME_PUNCTUATION = frozenset(" -'’.") | {ZWNJ}
_SCRIPTS = ("ARABIC", "LATIN")


@lru_cache(maxsize=4096)  # names use two small alphabets: each letter looked up once
def _is_script_letter(ch: str) -> bool:
    category = unicodedata.category(ch)
    # Mn lets Arabic vowel marks through (some people write them in names).
    if not (category.startswith("L") or category == "Mn"):
        return False
    return unicodedata.name(ch, "").startswith(_SCRIPTS)


def _check_words(
    value: str, prefix: str, min_len: int, max_len: int, punctuation: frozenset[str]
) -> str:
    if not value:
        raise ValidationError(f"{prefix}.empty")
    if len(value) > max_len:
        raise ValidationError(f"{prefix}.too_long")
    if len(value) < min_len:
        raise ValidationError(f"{prefix}.too_short")
    if prefix == "name" and any(ch.isdigit() for ch in value):
        raise ValidationError("name.digits")
    if not all(ch in punctuation or _is_script_letter(ch) for ch in value):
        raise ValidationError(f"{prefix}.not_letters")
    if sum(1 for ch in value if unicodedata.category(ch).startswith("L")) < 2:
        raise ValidationError(f"{prefix}.not_letters")
    return value


def validate_full_name(raw: str) -> str:
    name = _check_words(normalize_text(raw), "name", 3, 80, _NAME_PUNCTUATION)
    # First and last name: at least two words ("علی‌رضا" with its ZWNJ is one word).
    if len(name.split(" ")) < 2:
        raise ValidationError("name.one_word")
    return name


def validate_city(raw: str) -> str:
    return _check_words(normalize_text(raw), "city", 2, 60, frozenset(" -.()") | {ZWNJ})


def validate_province(raw: str) -> str:
    """A typed province, folded the way search folds (Arabic ي/ك, ZWNJ or no space), returned
    in its official spelling; "province.unknown" when it is none of the 31."""
    name = canonical_province(raw)
    if name is None:
        raise ValidationError("province.unknown")
    return name


MIN_AGE = 15
MAX_AGE = 70


def age_on(birth: dt.date, today: dt.date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def validate_birth_date(raw: str, today: dt.date) -> dt.date:
    """Birth date typed as Jalali Y/M/D (any digits, / - . separators); returned as Gregorian.

    A Gregorian date (year 1900..2100) is converted; a Jalali year outside BIRTH_YEARS is
    "date.out_of_range", the same answer as an age outside the programme's range; a date after
    `today` is "date.future"."""
    try:
        birth = read_date(raw, BIRTH_YEARS)
    except InvalidJalaliDate as exc:
        raise ValidationError(f"date.{exc.reason}") from exc
    if birth > today:
        # Usually a mistyped year: "outside the age range" would not tell the person why.
        raise ValidationError("date.future")
    if not MIN_AGE <= age_on(birth, today) <= MAX_AGE:
        raise ValidationError("date.out_of_range")
    return birth


def validate_relief_client_number(raw: str) -> str:
    number = _digits_only(raw)
    if not number:
        raise ValidationError("client_number.empty")
    if not number.isascii() or not number.isdigit():
        raise ValidationError("client_number.not_digits")
    if not 4 <= len(number) <= 20:
        raise ValidationError("client_number.length")
    return number


_DONT_KNOW = frozenset(
    search_key_compact(word)
    for word in ("نمی‌دانم", "نمیدونم", "نمی دونم", "?", "؟", "don't know", "dont know", "unknown")
)


def says_dont_know(raw: str) -> bool:
    """«نمی‌دانم» typed instead of pressing the button, in any of its usual spellings."""
    return search_key_compact(raw) in _DONT_KNOW


def parse_decile(raw: str) -> int | None:
    """Income decile 1..10, or None when the person says they do not know."""
    if says_dont_know(raw):
        return None
    text = _digits_only(raw)
    if not text.isascii() or not text.isdigit():
        raise ValidationError("decile.invalid")
    value = int(text)
    if not 1 <= value <= 10:
        raise ValidationError("decile.out_of_range")
    return value
