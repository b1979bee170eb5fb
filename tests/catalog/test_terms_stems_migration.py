"""Migration 0004 rebuilds the search terms with stems, by its own frozen copy of the builder;
the downgrade gives back the terms without them."""

from __future__ import annotations

import csv
import datetime as dt
import importlib
from types import SimpleNamespace
from typing import Any

from sqlalchemy import insert, select

from services.catalog_search import course_terms
from storage.db import create_engine
from storage.migrate import downgrade_database_async, upgrade_database_async
from storage.models import Course, CourseTerm
from tests.catalog.conftest import SAMPLE_CSV
from tests.catalog.helpers import COURSE_TEMPLATE

ZWNJ = "\u200c"
MIGRATION = importlib.import_module("storage.migrations.versions.0004_search_stems")


def _row(code: str, title_fa: str, cluster_fa: str) -> dict[str, Any]:
    return {
        "course_code": code, "standard_code": "S", "title_fa": title_fa,
        "title_en": "Driver", "cluster_fa": cluster_fa, "level": None,
        "hours_theory": 1, "hours_practice": 1, "min_education": None, "province": "تهران",
        "city": "تهران", "center_name": COURSE_TEMPLATE["center_name"],
        "center_type": "government", "center_rank": None, "start_date": dt.date(2027, 1, 1),
        "capacity": 10, "seats_taken": 0, "fee_rial": 0, "hamnava_coverage_pct": 0,
        "karafan": False, "dormitory": False, "delivery": "in_person", "search_text": "",
    }  # fmt: skip


async def _terms(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return set(await connection.scalars(select(CourseTerm.term)))
    finally:
        await engine.dispose()


async def test_upgrade_adds_stems_and_downgrade_takes_them_away(empty_database_url: str) -> None:
    url = empty_database_url
    await upgrade_database_async(url, "0003_applications")
    row = _row("OLD1", "آموزش رانندگی", f"خدمات حمل{ZWNJ}ونقل")
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(insert(Course), [row])
            # As 0002 left them: a course imported before the stems came has no stem terms.
            await connection.execute(insert(CourseTerm), [
                {"course_id": 1, "term": "رانندگی", "province": "تهران"},
            ])  # fmt: skip
    finally:
        await engine.dispose()

    await upgrade_database_async(url, "0004_search_stems")
    expected = course_terms(row["title_fa"], row["title_en"], row["cluster_fa"],
                            row["center_name"])  # fmt: skip
    stems = {"راننده", "اموزشراننده"}  # of the word and of the two words written together
    assert stems <= expected
    assert await _terms(url) == expected

    await downgrade_database_async(url, "0003_applications")
    without = await _terms(url)
    assert "راننده" not in without and "رانندگی" in without
    assert without == expected - stems


def test_frozen_builder_matches_todays_on_the_sample_catalog() -> None:
    # Today's builder and the migration's copy agree, so an upgraded database holds the terms
    # a fresh import writes (a later change of the builder needs a revision of its own).
    with SAMPLE_CSV.open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    rows.append({"title_fa": "بافندگی فرش دستباف", "title_en": "", "cluster_fa": "صنایع دستی",
                 "center_name": "مرکز شماره ۲"})  # fmt: skip
    for row in rows:
        frozen = MIGRATION._terms(SimpleNamespace(**row), with_stems=True)
        assert frozen == course_terms(row["title_fa"], row["title_en"], row["cluster_fa"],
                                      row["center_name"]), row["title_fa"]  # fmt: skip
