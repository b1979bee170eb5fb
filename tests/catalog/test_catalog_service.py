"""CatalogService against a real database (SQLite; PostgreSQL too when TEST_DATABASE_URL is set).

Courses come in through the real importer, so their search terms are written as in production.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import delete, select

import services.catalog as catalog_module
import services.kept as kept_module
from services.catalog import (
    COUNT_CAP,
    PAGE_SIZE,
    CatalogService,
    CourseFilter,
    CourseStatus,
    is_course_code_shaped,
)
from services.catalog_import import seed_sample_catalog_if_empty
from services.jalali import to_jalali_text
from storage.models import Course, CourseTerm, Person
from tests.catalog.conftest import SAMPLE_CSV
from tests.catalog.helpers import course_row, import_rows
from tests.catalog.service_helpers import (
    TEHRAN,
    TODAY,
    Factory,
    all_codes,
    codes,
    page_codes,
    starts,
)

# --- default list, open courses only ------------------------------------------------------


async def test_default_list_is_open_courses_of_the_province_soonest_first(
    session_factory: Factory, tmp_path: Path
) -> None:
    await import_rows(session_factory, tmp_path, [
        course_row("LATE", start_date=starts(60)),
        course_row("SOON", start_date=starts(5)),
        course_row("TODAY", start_date=starts(0)),
        course_row("SAME1", start_date=starts(30)),
        course_row("SAME2", start_date=starts(30)),
        course_row("STARTED", start_date=starts(-1)),
        course_row("FULL", start_date=starts(3), capacity="12", seats_taken="12"),
        course_row("ELSEWHERE", start_date=starts(1), province="اصفهان", city="اصفهان"),
    ])  # fmt: skip
    service = CatalogService(session_factory)
    page = await service.list_page(CourseFilter(province=TEHRAN), 0, TODAY)
    assert codes(page.items) == ["TODAY", "SOON", "SAME1", "SAME2", "LATE"]
    assert (page.page, page.has_prev, page.has_next) == (0, False, False)
    assert (page.total, page.total_is_capped) == (5, False)
    assert all(item.status is CourseStatus.OPEN for item in page.items)
    # All provinces; a province typed with Arabic letters is the same province.
    assert await page_codes(service, CourseFilter()) == [
        "TODAY", "ELSEWHERE", "SOON", "SAME1", "SAME2", "LATE",
    ]  # fmt: skip
    assert await page_codes(service, CourseFilter(province="تهران ")) == codes(page.items)

    # Not in the list, but their cards show why.
    full = await service.card("FULL", TODAY)
    started = await service.card("STARTED", TODAY)
    assert full is not None and full.status is CourseStatus.FULL and not full.applicable
    assert full.seats_left == 0
    assert started is not None and started.status is CourseStatus.STARTED
    assert not started.applicable
    opened = await service.card("SOON", TODAY)
    assert opened is not None and opened.applicable


async def test_unknown_province_matches_nothing(session_factory: Factory, tmp_path: Path) -> None:
    await import_rows(session_factory, tmp_path, [course_row("A", start_date=starts(5))])
    service = CatalogService(session_factory)
    assert await page_codes(service, CourseFilter(province="آتلانتیس")) == []
    assert await page_codes(service, CourseFilter(province=TEHRAN)) == ["A"]


# --- filters --------------------------------------------------------------------------------


@pytest.fixture
async def varied(session_factory: Factory, tmp_path: Path) -> CatalogService:
    await import_rows(session_factory, tmp_path, [
        course_row("PLAIN", start_date=starts(10), hamnava_coverage_pct="0"),
        course_row("GOV", start_date=starts(11), center_type="government", center_rank="",
                   cluster_fa="فناوری اطلاعات", title_fa="کاربر رایانه"),
        course_row("HAMNAVA", start_date=starts(12), hamnava_coverage_pct="100"),
        course_row("KARAFAN", start_date=starts(13), karafan="yes", hamnava_coverage_pct="0"),
        course_row("WORKPLACE", start_date=starts(14), delivery="workplace",
                   hamnava_coverage_pct="0"),
        course_row("DORM", start_date=starts(15), dormitory="yes", hamnava_coverage_pct="0",
                   cluster_fa="فناوری اطلاعات"),
        course_row("FAR", start_date=starts(200), center_type="government", center_rank="",
                   dormitory="yes"),
        course_row("ISFAHAN", start_date=starts(16), province="اصفهان", city="اصفهان",
                   dormitory="yes", cluster_fa="فناوری اطلاعات"),
    ])  # fmt: skip
    return CatalogService(session_factory)


FILTER_CASES: list[tuple[CourseFilter, list[str]]] = [
    (CourseFilter(cluster="فناوری اطلاعات"), ["GOV", "DORM", "ISFAHAN"]),
    (CourseFilter(center_type="government"), ["GOV", "FAR"]),
    (CourseFilter(center_type="private"),
     ["PLAIN", "HAMNAVA", "KARAFAN", "WORKPLACE", "DORM", "ISFAHAN"]),
    (CourseFilter(hamnava_only=True), ["GOV", "HAMNAVA", "ISFAHAN", "FAR"]),
    (CourseFilter(karafan_only=True), ["KARAFAN", "WORKPLACE"]),
    (CourseFilter(dormitory_only=True), ["DORM", "ISFAHAN", "FAR"]),
    (CourseFilter(starts_within_months=1), [
        "PLAIN", "GOV", "HAMNAVA", "KARAFAN", "WORKPLACE", "DORM", "ISFAHAN",
    ]),
    (CourseFilter(starts_within_months=6), [
        "PLAIN", "GOV", "HAMNAVA", "KARAFAN", "WORKPLACE", "DORM", "ISFAHAN",
    ]),
    (CourseFilter(starts_within_months=7), [
        "PLAIN", "GOV", "HAMNAVA", "KARAFAN", "WORKPLACE", "DORM", "ISFAHAN", "FAR",
    ]),
    # Combined.
    (CourseFilter(province=TEHRAN, cluster="فناوری اطلاعات"), ["GOV", "DORM"]),
    (CourseFilter(province=TEHRAN, dormitory_only=True, center_type="government"), ["FAR"]),
    (CourseFilter(dormitory_only=True, starts_within_months=3), ["DORM", "ISFAHAN"]),
    (CourseFilter(province=TEHRAN, dormitory_only=True, hamnava_only=True), ["FAR"]),
    (CourseFilter(cluster="فناوری اطلاعات", query="رایانه"), ["GOV"]),
    (CourseFilter(karafan_only=True, dormitory_only=True), []),
    (CourseFilter(cluster="no such field"), []),
]  # fmt: skip


async def test_filters(varied: CatalogService) -> None:
    # One catalog for all the cases (an import per case would double the file's run time).
    wrong = {}
    for flt, expected in FILTER_CASES:
        found = await all_codes(varied, flt)
        if found != expected:
            wrong[repr(flt)] = (found, expected)
    assert wrong == {}


async def test_clusters_are_distinct_and_in_persian_order(varied: CatalogService) -> None:
    assert await varied.clusters() == ["صنایع پوشاک", "فناوری اطلاعات"]
    assert await varied.clusters("اصفهان") == ["فناوری اطلاعات"]
    assert await varied.clusters("آتلانتیس") == []


async def test_starts_within_months_counts_calendar_months(
    session_factory: Factory, tmp_path: Path
) -> None:
    today = dt.date(2027, 1, 31)  # a month from Jan 31 ends on Feb 28
    await import_rows(session_factory, tmp_path, [
        course_row("IN", start_date=to_jalali_text(dt.date(2027, 2, 28))),
        course_row("OUT", start_date=to_jalali_text(dt.date(2027, 3, 1))),
    ])  # fmt: skip
    page = await CatalogService(session_factory).list_page(
        CourseFilter(starts_within_months=1), 0, today
    )
    assert codes(page.items) == ["IN"]


def test_filter_round_trip_and_junk() -> None:
    flt = CourseFilter(
        province=TEHRAN, cluster="برق", center_type="private", hamnava_only=True,
        karafan_only=True, dormitory_only=True, starts_within_months=3, query="برق‌کار",
    )  # fmt: skip
    assert CourseFilter.from_dict(flt.to_dict()) == flt
    assert flt.replace(query="") == CourseFilter(**{**flt.to_dict(), "query": ""})
    assert CourseFilter.from_dict(None) == CourseFilter()
    assert CourseFilter.from_dict({"x": 1}) == CourseFilter()
    junk = {
        "province": "Narnia", "cluster": ["x"], "center_type": "secret", "hamnava_only": "yes",
        "karafan_only": 1, "dormitory_only": None, "starts_within_months": True,
        "query": 42,
    }  # fmt: skip
    assert CourseFilter.from_dict(junk) == CourseFilter()
    assert CourseFilter.from_dict({"starts_within_months": 999}).starts_within_months is None
    assert CourseFilter.from_dict({"cluster": "x" * 500}).cluster is None
    long_query = CourseFilter.from_dict({"query": "ا" * 5000}).query
    assert len(long_query) == catalog_module.MAX_QUERY_CHARS
    assert CourseFilter.from_dict({"province": "تهران"}).province == TEHRAN


# --- pages ----------------------------------------------------------------------------------


async def import_many(session_factory: Factory, tmp_path: Path, count: int) -> list[str]:
    rows = [course_row(f"P{i:03d}", start_date=starts(1 + i // 4)) for i in range(count)]
    await import_rows(session_factory, tmp_path, rows)
    return [row["course_code"] for row in rows]


async def test_pages(session_factory: Factory, tmp_path: Path, plan: str) -> None:
    expected = await import_many(session_factory, tmp_path, 2 * PAGE_SIZE + 1)
    service = CatalogService(session_factory)
    for flt in (CourseFilter(province=TEHRAN), CourseFilter(query="خیاط زنانه")):
        first = await service.list_page(flt, 0, TODAY)
        second = await service.list_page(flt, 1, TODAY)
        last = await service.list_page(flt, 2, TODAY)
        assert (first.has_prev, first.has_next, second.has_prev, second.has_next) == (
            False, True, True, True,
        )  # fmt: skip
        assert (last.page, last.has_prev, last.has_next, len(last.items)) == (2, True, False, 1)
        assert codes(first.items + second.items + last.items) == expected
        assert last.total == 2 * PAGE_SIZE + 1 and not last.total_is_capped
        if plan == "per-course" and flt.query:
            # A word probed course by course is not counted on past the page asked for.
            assert (first.total, first.total_is_capped) == (None, True)
        else:
            assert first.total == second.total == 2 * PAGE_SIZE + 1
        # Past the end: the last page. Negative: the first.
        for beyond in (3, 50, 10**30):
            page = await service.list_page(flt, beyond, TODAY)
            assert (page.page, codes(page.items)) == (2, codes(last.items))
        assert (await service.list_page(flt, -5, TODAY)).page == 0


async def test_exactly_one_full_page(session_factory: Factory, tmp_path: Path) -> None:
    expected = await import_many(session_factory, tmp_path, PAGE_SIZE)
    service = CatalogService(session_factory)
    page = await service.list_page(CourseFilter(), 0, TODAY)
    assert codes(page.items) == expected
    assert (page.has_prev, page.has_next, page.total) == (False, False, PAGE_SIZE)
    assert (await service.list_page(CourseFilter(), 1, TODAY)).page == 0


async def test_empty_results(session_factory: Factory, tmp_path: Path) -> None:
    service = CatalogService(session_factory)
    for page_number in (0, 3):
        page = await service.list_page(CourseFilter(query="هیچ"), page_number, TODAY)
        assert (page.items, page.page, page.has_prev, page.has_next) == ([], 0, False, False)
        assert (page.total, page.total_is_capped) == (0, False)
    assert await service.clusters() == []


async def test_long_lists_say_many(session_factory: Factory, tmp_path: Path) -> None:
    count = COUNT_CAP + 2 * PAGE_SIZE + 3
    expected = await import_many(session_factory, tmp_path, count)
    service = CatalogService(session_factory)
    first = await service.list_page(CourseFilter(), 0, TODAY)
    assert (first.total, first.total_is_capped, first.has_next) == (None, True, True)
    # Paging on past the cap still finds the real end.
    last_index = (count - 1) // PAGE_SIZE
    last = await service.list_page(CourseFilter(), last_index + 5, TODAY)
    assert last.page == last_index and not last.has_next
    assert (last.total, last.total_is_capped) == (count, False)
    assert await all_codes(service, CourseFilter()) == expected


async def test_course_deleted_since_the_list_was_drawn(
    session_factory: Factory, tmp_path: Path
) -> None:
    await import_many(session_factory, tmp_path, PAGE_SIZE + 2)
    service = CatalogService(session_factory)
    second = await service.list_page(CourseFilter(), 1, TODAY)
    gone = second.items[0].code
    async with session_factory() as session:
        await session.execute(delete(Course).where(Course.course_code == gone))
        await session.commit()
    assert await service.card(gone, TODAY) is None
    assert await service.save(1, gone) is False
    assert await service.is_saved(1, gone) is False
    await service.unsave(1, gone)
    page = await service.list_page(CourseFilter(), 1, TODAY)  # the same page, one row fewer
    assert gone not in codes(page.items) and len(page.items) == 1
    async with session_factory() as session:  # its terms went with it
        terms = await session.scalars(select(CourseTerm.course_id).distinct())
        assert len(terms.all()) == PAGE_SIZE + 1


# --- cards ----------------------------------------------------------------------------------


async def test_card_fields(session_factory: Factory, tmp_path: Path) -> None:
    await import_rows(session_factory, tmp_path, [
        course_row("C1", start_date=starts(9), fee_rial="52000005", hamnava_coverage_pct="70",
                   level="", min_education="", title_en=""),
    ])  # fmt: skip
    card = await CatalogService(session_factory).card("C1", TODAY)
    assert card is not None
    assert (card.code, card.title_fa, card.title_en, card.province) == (
        "C1", "خیاط لباس زنانه", None, TEHRAN,
    )  # fmt: skip
    assert (card.center_type, card.center_rank, card.seats_left) == ("private", 2, 15)
    assert card.start_date == TODAY + dt.timedelta(days=9)
    assert (card.level, card.min_education, card.standard_code) == (None, None, "7531-13-001-1")
    assert (card.hours_theory, card.hours_practice) == (60, 240)
    assert card.beneficiary_pays_rial == 15600002  # 30% of 52,000,005 = 15,600,001.5, rounded up


async def test_unknown_codes(session_factory: Factory, tmp_path: Path) -> None:
    await import_rows(session_factory, tmp_path, [course_row("C1", start_date=starts(9))])
    service = CatalogService(session_factory)
    for code in ("", "NOPE", "x" * 33, "C1' OR '1'='1", "<b>C1</b>", "C1\n", "../C1", "کد", "c1"):
        assert await service.card(code, TODAY) is None, code
        assert await service.save(1, code) is False, code
    assert await service.card("C1", TODAY) is not None


@pytest.mark.parametrize(
    ("text", "shaped"),
    [("C001", True), ("c-01_x", True), ("A" * 32, True), ("A" * 33, False), ("", False),
     ("C 1", False), ("C1;", False), ("۱۲", False), ("C1\n", False), ("ک", False)],
)  # fmt: skip
def test_course_code_shape(text: str, shaped: bool) -> None:
    assert is_course_code_shaped(text) is shaped


# --- saved courses --------------------------------------------------------------------------


async def new_person(session_factory: Factory) -> int:
    async with session_factory() as session:
        person = Person()
        session.add(person)
        await session.commit()
        return person.id


async def test_save_unsave_saved(session_factory: Factory, tmp_path: Path) -> None:
    await import_rows(session_factory, tmp_path, [
        course_row("A", start_date=starts(5)),
        course_row("B", start_date=starts(6), capacity="5", seats_taken="5"),
        course_row("C", start_date=starts(-10)),
    ])  # fmt: skip
    service = CatalogService(session_factory)
    maryam, reza = await new_person(session_factory), await new_person(session_factory)
    assert await service.saved(maryam, TODAY) == []
    for code in ("A", "C", "B"):
        assert await service.save(maryam, code) is True
    assert await service.save(maryam, "A") is True  # twice is once
    assert await service.is_saved(maryam, "A") and not await service.is_saved(reza, "A")
    saved = await service.saved(maryam, TODAY)
    assert codes(saved) == ["B", "C", "A"]  # newest first
    assert [item.status for item in saved] == [
        CourseStatus.FULL, CourseStatus.STARTED, CourseStatus.OPEN,
    ]  # fmt: skip
    await service.unsave(maryam, "C")
    await service.unsave(maryam, "C")  # twice is fine
    await service.unsave(reza, "A")  # never saved
    assert codes(await service.saved(maryam, TODAY)) == ["B", "A"]
    assert await service.saved(reza, TODAY) == []


# --- terms follow the catalog ----------------------------------------------------------------


async def terms_of(session_factory: Factory, code: str) -> set[str]:
    async with session_factory() as session:
        rows = await session.scalars(
            select(CourseTerm.term).join(Course).where(Course.course_code == code)
        )
        return set(rows)


async def test_reimport_with_changed_title_rewrites_terms(
    session_factory: Factory, tmp_path: Path
) -> None:
    rows = [
        course_row("A", start_date=starts(5), title_fa="خیاط لباس زنانه"),
        course_row("B", start_date=starts(6)),
    ]
    await import_rows(session_factory, tmp_path, rows)
    service = CatalogService(session_factory)
    assert await all_codes(service, CourseFilter(query="خیاط")) == ["A", "B"]
    b_terms = await terms_of(session_factory, "B")

    rows[0] = {**rows[0], "title_fa": "نانوای سنتی", "province": "اصفهان", "city": "اصفهان"}
    rows[1] = {**rows[1], "capacity": "40"}  # a change that is not in the terms
    await import_rows(session_factory, tmp_path, rows)
    a_terms = await terms_of(session_factory, "A")
    assert "خیاط" not in a_terms and "نانوای" in a_terms and "نانوایسنتی" in a_terms
    assert await terms_of(session_factory, "B") == b_terms
    assert await all_codes(service, CourseFilter(query="خیاط")) == ["B"]
    assert await all_codes(service, CourseFilter(query="نانوا")) == ["A"]
    assert await all_codes(service, CourseFilter(province="اصفهان", query="نانوا")) == ["A"]
    assert await all_codes(service, CourseFilter(province=TEHRAN, query="نانوا")) == []
    async with session_factory() as session:
        provinces = await session.scalars(
            select(CourseTerm.province).join(Course).where(Course.course_code == "A").distinct()
        )
        assert provinces.all() == ["اصفهان"]


async def test_seeded_sample_catalog_is_searchable(session_factory: Factory) -> None:
    assert await seed_sample_catalog_if_empty(session_factory, SAMPLE_CSV) == 44
    service = CatalogService(session_factory)
    found = await service.list_page(CourseFilter(query="خياط"), 0, dt.date(2026, 1, 1))
    assert codes(found.items) == ["C001", "C002"]
    found = await service.list_page(CourseFilter(query="فن آوران"), 0, dt.date(2026, 1, 1))
    assert set(codes(found.items)) == {"C004", "C007", "C031", "C044"}


# --- kept pages -----------------------------------------------------------------------------


async def test_a_kept_page_is_given_again_until_its_time_is_up(
    session_factory: Factory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await import_rows(session_factory, tmp_path, [
        course_row("A", start_date=starts(5)), course_row("B", start_date=starts(6)),
    ])  # fmt: skip
    clock = [1000.0]
    monkeypatch.setattr(kept_module.time, "monotonic", lambda: clock[0])
    kept = CatalogService(session_factory, page_ttl_seconds=5.0)
    fresh = CatalogService(session_factory)
    flt = CourseFilter(province=TEHRAN)
    assert await page_codes(kept, flt) == ["A", "B"]
    async with session_factory() as session:
        await session.execute(delete(Course).where(Course.course_code == "A"))
        await session.commit()
    # Within the time the page is kept, the removed course is still listed; unkept, it is not.
    clock[0] += 4.9
    assert await page_codes(kept, flt) == ["A", "B"]
    assert await page_codes(fresh, flt) == ["B"]
    clock[0] += 0.2
    assert await page_codes(kept, flt) == ["B"]
    # forget_pages drops what is kept (a write this process knows of).
    async with session_factory() as session:
        await session.execute(delete(Course).where(Course.course_code == "B"))
        await session.commit()
    assert await page_codes(kept, flt) == ["B"]
    kept.forget_pages()
    assert await page_codes(kept, flt) == []
