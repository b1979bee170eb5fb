"""Synthetic course catalogs for benchmarks: realistic titles, fields and centers (the sample
catalog's and more) spread over all 31 provinces, written the way the importer writes them."""

from __future__ import annotations

import csv
import datetime as dt
import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from services.catalog_import.importer import term_rows
from services.provinces import PROVINCES
from services.text import search_key
from storage.db import create_session_factory
from storage.repositories.courses import CourseRepository

SAMPLE_CSV = Path(__file__).resolve().parent.parent / "data" / "sample_courses.csv"

# (title_fa, title_en, cluster_fa) beyond the sample catalog's, so a search word is as rare as
# in a real catalog of a few hundred standards.
MORE_STANDARDS: tuple[tuple[str, str, str], ...] = (
    ("برنامه‌نویس پایتون", "Python programmer", "فناوری اطلاعات"),
    ("طراح صفحات وب", "Web page designer", "فناوری اطلاعات"),
    ("تکنسین شبکه", "Network technician", "فناوری اطلاعات"),
    ("حسابدار عمومی", "General accountant", "مدیریت و بازرگانی"),
    ("کارمند اداری", "Office clerk", "مدیریت و بازرگانی"),
    ("تعمیرکار موتورسیکلت", "Motorcycle repairer", "خودرو"),
    ("برق‌کار خودرو", "Car electrician", "خودرو"),
    ("صافکار خودرو", "Car body repairer", "خودرو"),
    ("نقاش ساختمان", "Building painter", "عمران"),
    ("کاشی‌کار", "Tiler", "عمران"),
    ("گچ‌کار ساختمان", "Plasterer", "عمران"),
    ("آشپز غذاهای ایرانی", "Iranian cuisine cook", "گردشگری و هتلداری"),
    ("شیرینی‌پز", "Pastry cook", "صنایع غذایی"),
    ("راهنمای گردشگری", "Tour guide", "گردشگری و هتلداری"),
    ("پرستار کودک", "Child minder", "بهداشت و ایمنی"),
    ("کمک‌های اولیه", "First aid", "بهداشت و ایمنی"),
    ("خیاط لباس مردانه", "Men's garment tailor", "صنایع پوشاک"),
    ("طراح لباس", "Fashion designer", "صنایع پوشاک"),
    ("معرق‌کار چوب", "Wood marquetry maker", "صنایع دستی"),
    ("سفالگر", "Potter", "صنایع دستی"),
    ("زنبوردار", "Beekeeper", "کشاورزی"),
    ("گلخانه‌دار", "Greenhouse grower", "کشاورزی"),
    ("پرورش‌دهنده مرغ بومی", "Native poultry breeder", "کشاورزی"),
    ("تعمیرکار لوازم خانگی", "Home appliance repairer", "الکترونیک"),
    ("نصاب دوربین مداربسته", "CCTV installer", "الکترونیک"),
    ("نصاب پنل خورشیدی", "Solar panel installer", "برق"),
    ("تعمیرکار پکیج گرمایشی", "Boiler repairer", "تأسیسات"),
    ("جوشکار گاز", "Gas welder", "متالورژی و جوشکاری"),
    ("فرزکار", "Milling machine operator", "ماشین‌ابزار"),
    ("مبل‌ساز", "Furniture maker", "صنایع چوب"),
    ("آرایشگر مردانه", "Barber", "خدمات آرایش و پیرایش"),
    ("ناخن‌کار", "Nail technician", "خدمات آرایش و پیرایش"),
    ("مربی پیش‌دبستانی", "Preschool teacher", "خدمات آموزشی"),
    ("عکاس دیجیتال", "Digital photographer", "هنرهای تجسمی"),
    ("خوشنویس", "Calligrapher", "هنرهای تجسمی"),
    ("تدوینگر فیلم", "Film editor", "هنرهای نمایشی"),
    ("راننده لیفتراک", "Forklift driver", "حمل و نقل"),
    ("انباردار", "Storekeeper", "مدیریت و بازرگانی"),
)

PRIVATE_BRANDS = (
    "مهارت نوین", "فن‌آوران", "پیشگامان", "آینده‌سازان", "هنر و مهارت", "دانش‌پژوهان",
    "نوآوران", "فرهیختگان", "کارآفرینان", "اندیشه", "مهرگان", "پارسیان",
)  # fmt: skip

CAPITALS: dict[str, str] = {
    "آذربایجان شرقی": "تبریز", "آذربایجان غربی": "ارومیه", "اردبیل": "اردبیل",
    "اصفهان": "اصفهان", "البرز": "کرج", "ایلام": "ایلام", "بوشهر": "بوشهر", "تهران": "تهران",
    "چهارمحال و بختیاری": "شهرکرد", "خراسان جنوبی": "بیرجند", "خراسان رضوی": "مشهد",
    "خراسان شمالی": "بجنورد", "خوزستان": "اهواز", "زنجان": "زنجان", "سمنان": "سمنان",
    "سیستان و بلوچستان": "زاهدان", "فارس": "شیراز", "قزوین": "قزوین", "قم": "قم",
    "کردستان": "سنندج", "کرمان": "کرمان", "کرمانشاه": "کرمانشاه",
    "کهگیلویه و بویراحمد": "یاسوج", "گلستان": "گرگان", "گیلان": "رشت", "لرستان": "خرم‌آباد",
    "مازندران": "ساری", "مرکزی": "اراک", "هرمزگان": "بندرعباس", "همدان": "همدان", "یزد": "یزد",
}  # fmt: skip

BATCH = 5000


def standards() -> list[tuple[str, str, str]]:
    with SAMPLE_CSV.open(encoding="utf-8-sig", newline="") as handle:
        sample = {(r["title_fa"], r["title_en"], r["cluster_fa"]) for r in csv.DictReader(handle)}
    return sorted(sample) + list(MORE_STANDARDS)


@dataclass(frozen=True)
class Catalog:
    """What a generated catalog holds, for choosing realistic benchmark inputs."""

    count: int
    terms: int
    seconds: float
    # The titles of each province's open courses, for searches that find something.
    titles_by_province: dict[str, tuple[str, ...]]


def _centers(rng: random.Random, province: str, count: int) -> list[tuple[str, str, int | None]]:
    city = CAPITALS[province]
    government: list[tuple[str, str, int | None]] = [
        (f"مرکز آموزش فنی و حرفه‌ای شماره {number} {city}", "government", None)
        for number in range(1, max(2, count // 3) + 1)
    ]
    private = [
        (f"آموزشگاه آزاد {PRIVATE_BRANDS[i % len(PRIVATE_BRANDS)]}"
         + (f" {i // len(PRIVATE_BRANDS) + 1}" if i >= len(PRIVATE_BRANDS) else "")
         + f" {city}", "private", rng.randint(1, 5))
        for i in range(max(3, count - len(government)))
    ]  # fmt: skip
    return government + private


def course_rows(count: int, today: dt.date, seed: int = 1405) -> list[dict[str, Any]]:
    """`count` course rows (column dicts, like the importer's), over all provinces."""
    rng = random.Random(seed)
    kinds = standards()
    # More offerings, more centers: about 30 offerings per center and year.
    per_province = max(4, count // len(PROVINCES) // 30)
    centers = {province: _centers(rng, province, per_province) for province in PROVINCES}
    rows: list[dict[str, Any]] = []
    for index in range(count):
        province = PROVINCES[index % len(PROVINCES)]
        kind = rng.randrange(len(kinds))
        title_fa, title_en, cluster_fa = kinds[kind]
        center_name, center_type, rank = rng.choice(centers[province])
        capacity = rng.choice((12, 15, 16, 20, 24, 25, 30))
        # About one in ten full; a quarter already started (a catalog keeps last season's).
        seats_taken = capacity if rng.random() < 0.1 else rng.randint(0, capacity - 1)
        start = today + dt.timedelta(days=rng.randint(-120, 365))
        workplace = rng.random() < 0.1
        rows.append({
            "course_code": f"B{index:07d}", "standard_code": f"{1000 + kind}-00-001-1",
            "title_fa": title_fa, "title_en": title_en, "cluster_fa": cluster_fa,
            "level": "درجه ۲", "hours_theory": 60, "hours_practice": 180,
            "min_education": "متوسطه اول", "province": province, "city": CAPITALS[province],
            "center_name": center_name, "center_type": center_type, "center_rank": rank,
            "start_date": start, "capacity": capacity, "seats_taken": seats_taken,
            "fee_rial": rng.randrange(5_000_000, 90_000_000, 500_000),
            "hamnava_coverage_pct": rng.choice((0, 0, 50, 60, 70, 80, 100)),
            "karafan": workplace or rng.random() < 0.05, "dormitory": rng.random() < 0.15,
            "delivery": "workplace" if workplace else "in_person",
            "search_text": search_key(" ".join((title_fa, title_en, cluster_fa, center_name))),
        })  # fmt: skip
    return rows


async def _write(repo: CourseRepository, batch: list[dict[str, Any]]) -> int:
    ids = await repo.insert_many(batch)
    terms = [term for row in batch for term in term_rows(ids[row["course_code"]], row)]
    await repo.insert_terms(terms)
    return len(terms)


async def generate_catalog(engine: AsyncEngine, count: int, today: dt.date) -> Catalog:
    """Write `count` courses and their search terms in bulk, then refresh the planner's
    statistics (and PostgreSQL's visibility map, for index-only scans): what autovacuum or a
    periodic ANALYZE does on a live database."""
    started = time.perf_counter()
    rows = course_rows(count, today)
    terms = 0
    async with create_session_factory(engine)() as session:
        repo = CourseRepository(session)
        async with repo.bulk_load():
            for start in range(0, len(rows), BATCH):
                terms += await _write(repo, rows[start : start + BATCH])
        await session.commit()
    async with engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        sqlite = engine.dialect.name == "sqlite"
        await autocommit.execute(text("ANALYZE" if sqlite else "VACUUM ANALYZE"))
    titles: dict[str, set[str]] = {province: set() for province in PROVINCES}
    for row in rows:
        if row["start_date"] >= today and row["seats_taken"] < row["capacity"]:
            titles[row["province"]].add(row["title_fa"])
    return Catalog(
        count=count,
        terms=terms,
        seconds=time.perf_counter() - started,
        titles_by_province={province: tuple(sorted(found)) for province, found in titles.items()},
    )

