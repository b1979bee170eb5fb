from __future__ import annotations

import pytest

from services.text import (
    FSI,
    PDI,
    ZWNJ,
    display_code,
    format_number,
    format_toman,
    isolate,
    isolate_commands,
    join_words,
    lead_rtl,
    localize_digits,
    normalize_digits,
    normalize_text,
    search_key,
    search_key_compact,
    to_persian_digits,
)


def test_normalize_digits_handles_persian_and_arabic() -> None:
    assert normalize_digits("۰۱۲۳۴۵۶۷۸۹") == "0123456789"
    assert normalize_digits("٠١٢٣٤٥٦٧٨٩") == "0123456789"
    assert normalize_digits("a۱b٢c3") == "a1b2c3"


def test_to_persian_digits() -> None:
    assert to_persian_digits("0912 ٣٤") == "۰۹۱۲ ۳۴"


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("fa", "کد ۱۲۳"), ("fa_IR", "کد ۱۲۳"), ("en", "کد 123"), (None, "کد 123")],
)
def test_localize_digits(locale: str | None, expected: str) -> None:
    assert localize_digits("کد 1۲3", locale) == expected


def test_normalize_text_folds_arabic_letters_and_spaces() -> None:
    assert normalize_text("  علي   كريمي \t") == "علی کریمی"


def test_normalize_text_keeps_zwnj_but_drops_controls() -> None:
    assert normalize_text(f"می{ZWNJ}خواهم\u202e\x07") == f"می{ZWNJ}خواهم"
    # A ZWNJ glued to a space or doubled is noise.
    assert normalize_text(f"{ZWNJ}ثبت{ZWNJ}{ZWNJ}نام {ZWNJ}دوره{ZWNJ}") == f"ثبت{ZWNJ}نام دوره"


def test_search_key_folds_spelling_variants() -> None:
    assert search_key("كاربر رايانه") == search_key("کاربر رایانه")
    assert search_key("مُحَمَّد") == "محمد"
    assert search_key("كـــارگاه") == "کارگاه"
    assert search_key(f"ثبت{ZWNJ}نام") == "ثبت نام"
    assert search_key("  Computer   OPERATOR ۱۲ ") == "computer operator 12"


def test_search_key_compact_matches_all_spellings_of_register() -> None:
    keys = {
        search_key_compact(f"ثبت{ZWNJ}نام"),
        search_key_compact("ثبت نام"),
        search_key_compact("ثبتنام"),
    }
    assert keys == {"ثبتنام"}


def test_isolate_wraps_in_first_strong_isolate() -> None:
    assert isolate("C-001") == f"{FSI}C-001{PDI}"


def test_format_number() -> None:
    assert format_number(1234567, "fa") == "۱٬۲۳۴٬۵۶۷"
    assert format_number(1234567, "en") == "1,234,567"
    assert format_number(999, "fa") == "۹۹۹"
    assert format_number(-1500, "en") == "-1,500"


def test_format_toman() -> None:
    assert format_toman(52_000_000, "fa") == "۵٬۲۰۰٬۰۰۰ تومان"
    assert format_toman(52_000_000, "en") == "5,200,000 toman"
    assert format_toman(15, "en") == "2 toman"
    assert format_toman(0, "fa") == "۰ تومان"


def test_codes_read_in_the_readers_digits_inside_an_isolate() -> None:
    assert display_code("HMN-1405-000123", "fa") == "\u2068HMN-۱۴۰۵-۰۰۰۱۲۳\u2069"
    assert display_code("HMN-۱۴۰۵-۰۰۰۱۲۳", "en") == "\u2068HMN-1405-000123\u2069"


def test_commands_and_codes_are_isolated_left_to_right() -> None:
    assert isolate_commands("• /start — شروع") == "• \u2066/start\u2069 — شروع"
    assert isolate_commands("• /queue HMN-۱۴۰۵-۰۰۰۱۲۳ — باز") == (
        "• \u2066/queue HMN-۱۴۰۵-۰۰۰۱۲۳\u2069 — باز"
    )
    assert isolate_commands("مثال: /addcaseworker telegram:۱۲۳ تهران") == (
        "مثال: \u2066/addcaseworker telegram:۱۲۳\u2069 تهران"
    )
    assert isolate_commands("شبیه HMN-1405-000123 است") == "شبیه \u2066HMN-1405-000123\u2069 است"
    # A link's path is not a command.
    assert isolate_commands("https://t.me/bot?start=x") == "https://t.me/bot?start=x"


def test_lead_rtl_only_for_persian() -> None:
    assert lead_rtl("🆕 جدید", "fa") == "\u200f🆕 جدید"
    assert lead_rtl("🆕 new", "en") == "🆕 new"


def test_lists_in_a_sentence_take_the_readers_comma() -> None:
    assert join_words(["شناسنامه", "کارت ملی"], "fa") == "شناسنامه، کارت ملی"
    assert join_words(["City", "Education"], "en") == "City, Education"
    assert join_words(iter(["one"]), None) == "one"
