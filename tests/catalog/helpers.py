from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.catalog_import import COLUMNS, import_courses
from tests.catalog.conftest import SAMPLE_CSV


def sample_rows() -> list[dict[str, str]]:
    with SAMPLE_CSV.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def write_csv(
    path: Path,
    rows: list[dict[str, str]],
    *,
    columns: tuple[str, ...] | list[str] = COLUMNS,
    bom: bool = False,
) -> Path:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


# A plain open course in Tehran; tests change only what they are about.
COURSE_TEMPLATE: dict[str, str] = {
    "course_code": "T000",
    "standard_code": "7531-13-001-1",
    "title_fa": "خیاط لباس زنانه",
    "title_en": "Women's garment tailor",
    "cluster_fa": "صنایع پوشاک",
    "level": "درجه ۲",
    "hours_theory": "60",
    "hours_practice": "240",
    "min_education": "ابتدایی",
    "province": "تهران",
    "city": "تهران",
    "center_name": "آموزشگاه آزاد مهارت نوین تهران",
    "center_type": "private",
    "center_rank": "2",
    "start_date": "1405/09/15",
    "capacity": "20",
    "seats_taken": "5",
    "fee_rial": "52000000",
    "hamnava_coverage_pct": "70",
    "karafan": "no",
    "dormitory": "no",
    "delivery": "in_person",
}


def course_row(code: str, **changes: str) -> dict[str, str]:
    return {**COURSE_TEMPLATE, "course_code": code, **changes}


async def import_rows(
    session_factory: async_sessionmaker[AsyncSession], folder: Path, rows: list[dict[str, str]]
) -> None:
    """Through the real importer, so search terms are written as in production."""
    report = await import_courses(session_factory, write_csv(folder / "catalog.csv", rows))
    assert report.ok and report.written, report.errors[:3]
