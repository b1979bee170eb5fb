"""CatalogService search against a real database: normalization, filters, hostile input.

Courses come in through the real importer, so their search terms are written as in production.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from services.catalog import CatalogService, CourseFilter, CourseStatus, SearchProblem
from storage.models import Course
from tests.catalog.helpers import course_row, import_rows
from tests.catalog.service_helpers import TEHRAN, TODAY, ZWNJ, Factory, all_codes, starts

# --- search ---------------------------------------------------------------------------------


@pytest.fixture
async def searchable(session_factory: Factory, tmp_path: Path) -> CatalogService:
    await import_rows(session_factory, tmp_path, [
        course_row("REG", start_date=starts(1), title_fa=f"ثبت{ZWNJ}نام آنلاین",
                   title_en="Online registration"),
        course_row("PC", start_date=starts(2), title_fa="کاربر رایانه",
                   cluster_fa="فناوری اطلاعات",
                   center_name=f"آموزشگاه آزاد فن{ZWNJ}آوران تهران"),
        course_row("NO1", start_date=starts(3), title_fa="برق‌کار ساختمان",
                   center_name="مرکز آموزش فنی و حرفه‌ای شماره ۱ تهران"),
        course_row("NO2", start_date=starts(4), title_fa="جوشکار برق",
                   center_name="مرکز آموزش فنی و حرفه‌ای شماره ۲ تهران"),
        course_row("PCT", start_date=starts(5), title_fa="تخفیف ۵۰٪ (ویژه)",
                   title_en="100% under_score"),
        course_row("ISF", start_date=starts(6), title_fa="کاربر رایانه", province="اصفهان",
                   city="اصفهان", center_name="مرکز شماره ۱ اصفهان"),
        course_row("PCFULL", start_date=starts(7), title_fa="کاربر رایانه",
                   capacity="10", seats_taken="10"),
    ])  # fmt: skip
    return CatalogService(session_factory)


SEARCHES: list[tuple[str, list[str]]] = [
    (f"ثبت{ZWNJ}نام", ["REG"]),
    ("ثبت نام", ["REG"]),
    ("ثبتنام", ["REG"]),
    ("ثبت", ["REG"]),
    ("REGISTRATION", ["REG"]),
    ("online regis", ["REG"]),
    ("كاربر رايانه", ["PC", "ISF"]),  # Arabic kaf and yeh
    ("کاربررایانه", ["PC", "ISF"]),
    ("رایانه کاربر", ["PC", "ISF"]),  # word order is free
    ("فناوری", ["PC"]),  # field
    ("فن آوران", ["PC"]),  # center name, space instead of ZWNJ
    ("فناوران", ["PC"]),  # ... or written together
    ("آموزشگاه فناوران", ["PC"]),
    ("برق", ["NO1", "NO2"]),
    ("برقکار", ["NO1"]),
    ("شماره ۱", ["NO1", "ISF"]),  # Persian digit
    ("شماره ١", ["NO1", "ISF"]),  # Arabic-Indic digit
    ("شماره 2", ["NO2"]),  # ASCII digit
    ("شماره۲", ["NO2"]),  # digit written onto the word
    ("۵۰", ["PCT"]),
    ("100%", ["PCT"]),
    ("under_score", ["PCT"]),
    ("_", []),  # literal, not a wildcard
    ("کاربر خیاط", []),
    ("'; DROP TABLE courses;--", []),
    ("<b>کاربر</b>", []),  # "b" matches no course
    ("<script>alert('x')</script>", []),
    ("x" * 1000, []),
    ("کاربر " * 300, ["PC", "ISF"]),  # cut to 100 characters, still the same word
]


async def test_search(searchable: CatalogService, plan: str) -> None:
    # One catalog for all the cases: an import per case would make this the slowest test file.
    wrong = {}
    for query, expected in SEARCHES:
        assert searchable.check_query(query) is None, query
        found = await all_codes(searchable, CourseFilter(query=query))
        if found != expected:
            wrong[query] = (found, expected)
    assert wrong == {}


async def test_search_within_province_and_filters(searchable: CatalogService, plan: str) -> None:
    assert await all_codes(searchable, CourseFilter(province=TEHRAN, query="رایانه")) == ["PC"]
    assert await all_codes(searchable, CourseFilter(province="اصفهان", query="رایانه")) == ["ISF"]
    assert await all_codes(searchable, CourseFilter(province="لرستان", query="رایانه")) == []
    flt = CourseFilter(query="برق", center_type="government")
    assert await all_codes(searchable, flt) == []
    # The full course is found by no search, but its card is there.
    card = await searchable.card("PCFULL", TODAY)
    assert card is not None and card.status is CourseStatus.FULL


async def test_punctuation_only_query_is_empty(searchable: CatalogService) -> None:
    everything = await all_codes(searchable, CourseFilter())
    for query in ("", "  ", "!!!", "%", "؟،«»", "\u200c\u200c", "<>", "--;", "(*)"):
        assert searchable.check_query(query) is SearchProblem.EMPTY, query
        # A list asked for anyway ignores it (lists everything open) rather than failing.
        assert await all_codes(searchable, CourseFilter(query=query)) == everything, query


@pytest.mark.parametrize("query", ["a", "کاربر", "x" * 1000, "'; DROP TABLE courses;--", "١٢3۴"])
def test_check_query_accepts_words(query: str) -> None:
    assert CatalogService(None).check_query(query) is None  # type: ignore[arg-type]


async def test_sql_fragments_leave_the_catalog_alone(
    searchable: CatalogService, session_factory: Factory
) -> None:
    for query in ("'; DROP TABLE courses;--", "' OR '1'='1", '" OR 1=1 --', "%' --", "\\"):
        await searchable.list_page(CourseFilter(query=query), 0, TODAY)
        await searchable.card(query, TODAY)
    async with session_factory() as session:
        assert len((await session.scalars(select(Course))).all()) == 7
