"""Migration 0002 gives the courses imported before it their search terms."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import insert, select

from services.catalog_search import course_terms
from storage.db import create_engine
from storage.migrate import upgrade_database_async
from storage.models import Course, CourseTerm

OLD_COURSE: dict[str, Any] = {
    "course_code": "OLD1", "standard_code": "S", "title_fa": "كاربر رایانه",
    "title_en": "Computer operator", "cluster_fa": "فناوری اطلاعات", "level": None,
    "hours_theory": 1, "hours_practice": 1, "min_education": None, "province": "تهران",
    "city": "تهران", "center_name": "آموزشگاه آزاد مهارت نوین تهران",
    "center_type": "government", "center_rank": None, "start_date": dt.date(2027, 1, 1),
    "capacity": 10, "seats_taken": 0, "fee_rial": 0, "hamnava_coverage_pct": 0,
    "karafan": False, "dormitory": False, "delivery": "in_person", "search_text": "",
}  # fmt: skip

# What 0002's own copy of the term rules makes of OLD_COURSE: Arabic ك folded to ک, آ to ا,
# English lower-cased, the Persian title's and the field's words also joined in pairs.
TERMS_BY_0002 = {
    "کاربر", "رایانه", "کاربررایانه", "فناوری", "اطلاعات", "فناوریاطلاعات",
    "computer", "operator", "اموزشگاه", "ازاد", "مهارت", "نوین", "تهران",
}  # fmt: skip


async def _terms_after_upgrade(url: str, revision: str) -> list[tuple[str, str]]:
    """Insert OLD_COURSE at 0001, upgrade to `revision`, read back the course terms."""
    await upgrade_database_async(url, "0001")
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            # Core insert of plain columns: the 0001 schema has no course_terms yet.
            await connection.execute(insert(Course), [OLD_COURSE])
        await upgrade_database_async(url, revision)
        async with engine.connect() as connection:
            rows = await connection.execute(select(CourseTerm.term, CourseTerm.province))
            return [(term, province) for term, province in rows]
    finally:
        await engine.dispose()


async def test_0002_backfills_terms_by_its_own_rules(empty_database_url: str) -> None:
    terms = await _terms_after_upgrade(empty_database_url, "0002_catalog")
    assert sorted(term for term, _ in terms) == sorted(TERMS_BY_0002)
    assert {province for _, province in terms} == {"تهران"}


async def test_upgrade_to_head_leaves_old_courses_with_todays_terms(
    empty_database_url: str,
) -> None:
    # A change to course_terms needs a revision that recomputes the stored terms; without one
    # the courses imported earlier keep terms today's search no longer expects, and this fails.
    terms = await _terms_after_upgrade(empty_database_url, "head")
    expected = course_terms(
        OLD_COURSE["title_fa"], OLD_COURSE["title_en"],
        OLD_COURSE["cluster_fa"], OLD_COURSE["center_name"],
    )  # fmt: skip
    assert {term for term, _ in terms} == expected
    assert {province for _, province in terms} == {"تهران"}
