"""Migration 0002 gives the courses imported before it their search terms."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import insert, select

from services.catalog_search import course_terms
from storage.db import create_engine
from storage.migrate import upgrade_database_async
from storage.models import Course, CourseTerm
from tests.catalog.helpers import COURSE_TEMPLATE


async def test_upgrade_backfills_terms_of_existing_courses(empty_database_url: str) -> None:
    url = empty_database_url
    await upgrade_database_async(url, "0001")
    row: dict[str, Any] = {
        "course_code": "OLD1", "standard_code": "S", "title_fa": "كاربر رایانه",
        "title_en": "Computer operator", "cluster_fa": "فناوری اطلاعات", "level": None,
        "hours_theory": 1, "hours_practice": 1, "min_education": None, "province": "تهران",
        "city": "تهران", "center_name": COURSE_TEMPLATE["center_name"],
        "center_type": "government", "center_rank": None, "start_date": dt.date(2027, 1, 1),
        "capacity": 10, "seats_taken": 0, "fee_rial": 0, "hamnava_coverage_pct": 0,
        "karafan": False, "dormitory": False, "delivery": "in_person", "search_text": "",
    }  # fmt: skip
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            # Core insert of plain columns: the 0001 schema has no course_terms yet.
            await connection.execute(insert(Course), [row])
        await upgrade_database_async(url)
        async with engine.connect() as connection:
            terms = (await connection.execute(select(CourseTerm.term, CourseTerm.province))).all()
    finally:
        await engine.dispose()
    expected = course_terms(row["title_fa"], row["title_en"], row["cluster_fa"], row["center_name"])
    assert {term for term, _ in terms} == expected
    assert "کاربر" in expected and {province for _, province in terms} == {"تهران"}
