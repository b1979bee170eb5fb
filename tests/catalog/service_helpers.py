"""Shared by the CatalogService tests: a fixed today, and reading codes off list pages."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import services.catalog as catalog_module
from services.catalog import CatalogService, CourseFilter
from services.jalali import to_jalali_text

Factory = async_sessionmaker[AsyncSession]

TODAY = dt.date(2026, 11, 1)
TEHRAN = "تهران"
ZWNJ = "\u200c"


def starts(days: int) -> str:
    return to_jalali_text(TODAY + dt.timedelta(days=days))


def codes(items: list[catalog_module.CourseSummary]) -> list[str]:
    return [item.code for item in items]


async def page_codes(service: CatalogService, flt: CourseFilter, page: int = 0) -> list[str]:
    return codes((await service.list_page(flt, page, TODAY)).items)


async def all_codes(service: CatalogService, flt: CourseFilter) -> list[str]:
    found: list[str] = []
    page = 0
    while True:
        result = await service.list_page(flt, page, TODAY)
        found += codes(result.items)
        if not result.has_next:
            return found
        page += 1
