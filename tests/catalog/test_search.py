"""Search terms of courses and words of queries (pure functions, no database)."""

from __future__ import annotations

import pytest

from services.catalog_search import (
    MAX_QUERY_WORDS,
    MAX_TERM_CHARS,
    course_terms,
    persian_sort_key,
    prefix_upper_bound,
    query_terms,
)

ZWNJ = "\u200c"


def terms_of(
    title_fa: str, title_en: str | None = None, cluster: str = "", center: str = ""
) -> set[str]:
    return course_terms(title_fa, title_en, cluster, center)


def matches(query: str, terms: set[str]) -> bool:
    """The service's rule, in Python: every query word is a prefix of some term."""
    words = query_terms(query)
    return bool(words) and all(any(term.startswith(word) for term in terms) for word in words)


def test_terms_are_folded_words_and_adjacent_pairs() -> None:
    center = f"آموزشگاه فن{ZWNJ}آوران"
    terms = terms_of("كاربر رايانه", "Computer Operator", "فناوری اطلاعات", center)
    assert {"کاربر", "رایانه", "کاربررایانه"} <= terms  # Arabic ي/ك folded
    assert {"computer", "operator"} <= terms  # lower case
    assert "computeroperator" not in terms  # English words apart are not joined
    assert {"فن", "اوران", "فناوران", "اموزشگاه"} <= terms  # ZWNJ is a word break, آ folded
    assert "رایانهcomputer" not in terms  # pairs never cross fields


def test_centers_join_only_compounds_and_numbers() -> None:
    terms = terms_of("", "Mobile-phone repairer", "", f"مرکز فنی و حرفه{ZWNJ}ای شماره ۲ شهر")
    assert {"mobilephone", "حرفهای", "شماره2"} <= terms
    assert not {"phonerepairer", "مرکزفنی", "2شهر"} & terms


def test_terms_have_ascii_digits_and_no_punctuation() -> None:
    terms = terms_of("مرکز شماره ۱۲ (اصفهان)", "Center #٣", "", "")
    assert {"12", "3", "اصفهان", "شماره12"} <= terms
    assert not any(ch in term for term in terms for ch in "()#")


def test_terms_are_cut_to_the_column_width() -> None:
    terms = terms_of("ا" * 200, None, "", "")
    assert terms == {"ا" * MAX_TERM_CHARS}


@pytest.mark.parametrize(
    "query",
    [
        "ثبت‌نام",  # with ZWNJ
        "ثبت نام",  # with a space
        "ثبتنام",  # written together
        "ثبت",  # a prefix
        "ثبتنا",  # a prefix of the joined pair
        "  ثبت   نام  ",
        "ثبت‌نامِ",  # with a diacritic
    ],
)
def test_zwnj_space_or_nothing_all_match(query: str) -> None:
    for title in (f"ثبت{ZWNJ}نام آنلاین", "ثبت نام آنلاین"):
        assert matches(query, terms_of(title)), (query, title)


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("كاربر", "کاربر رایانه"),  # Arabic kaf typed
        ("رايانه", "کاربر رایانه"),  # Arabic yeh typed
        ("کاربر", "كاربر رايانه"),  # catalog typed with Arabic letters
        ("آشپز", "کمک اشپز"),
        ("شماره ۱", "مرکز شماره 1"),
        ("شماره ١", "مرکز شماره ۱"),  # Arabic-Indic digit
        ("شماره 1", "مرکز شماره ۱"),
        ("TAILOR", "Tailor"),
    ],
)
def test_spelling_variants_match(query: str, title: str) -> None:
    assert matches(query, terms_of(title))


def test_every_word_must_match() -> None:
    terms = terms_of("کاربر رایانه")
    assert matches("کاربر رایانه", terms)
    assert not matches("کاربر خیاط", terms)
    assert not matches("رایانهکاربر", terms)  # the pair is only in reading order


@pytest.mark.parametrize(
    "query", ["", "   ", "!!!", "؟؟ ،،", "% ", "«»", "-- ;", ZWNJ * 3, "\u200f"]
)
def test_punctuation_only_gives_no_words(query: str) -> None:
    assert query_terms(query) == []


def test_sql_and_html_are_just_words() -> None:
    assert query_terms("'; DROP TABLE courses;--") == ["drop", "table", "courses"]
    assert query_terms("<script>alert(1)</script>") == ["script", "alert", "1"]
    assert query_terms("50% off") == ["50", "off"]
    assert query_terms("a_b") == ["a_b"]  # "_" kept literally: it is no wildcard here


def test_long_queries_are_cut() -> None:
    words = query_terms("کاربر " * 200)
    assert words == ["کاربر"]
    many = query_terms(" ".join(f"w{i}x" for i in range(30)))
    assert len(many) == MAX_QUERY_WORDS
    assert query_terms("ب" * 1000) == ["ب" * MAX_TERM_CHARS]


def test_words_that_are_prefixes_of_other_words_are_dropped() -> None:
    assert query_terms("کار کاربر کار") == ["کاربر"]
    assert query_terms("۱۲ 12 ١٢") == ["12"]


@pytest.mark.parametrize("prefix", ["a", "کار", "z\uffff", "\ud7ffx"[:1], "ab"])
def test_prefix_upper_bound(prefix: str) -> None:
    bound = prefix_upper_bound(prefix)
    bound.encode("utf-8")  # no lone surrogates
    assert prefix < bound
    assert prefix + "\U0010ffff" * 3 < bound
    assert not bound.startswith(prefix)
    # Byte order (the database's) agrees with code point order (Python's).
    assert prefix.encode() < bound.encode()


def test_persian_sort_key_uses_the_persian_alphabet() -> None:
    names = ["گردشگری", "کشاورزی", "پوشاک", "برق", "چوب", "ژنتیک", "آرایش", "زبان", "فن آوری"]
    assert sorted(names, key=persian_sort_key) == [
        "آرایش", "برق", "پوشاک", "چوب", "زبان", "ژنتیک", "فن آوری", "کشاورزی", "گردشگری",
    ]  # fmt: skip
