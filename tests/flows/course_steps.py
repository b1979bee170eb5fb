"""Shared moves for the course-browsing flow tests: a fixture catalog dated from today,
opening the list, reading which course codes a screen shows.

Courses go in through the real catalog import (so search terms are built as in production);
start dates are counted from today in Tehran, so the tests do not age."""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, update

from bot.dialogs.courses.handlers import HAMNAVA_ONLY
from bot.sandbox.user_side import inline_buttons
from services.catalog_import import COLUMNS, import_courses
from services.jalali import to_jalali_text, today_in
from storage.models import Course
from tests.flows.harness import Person, Sandbox
from tests.flows.steps import press_widget

ZWNJ = "\u200c"
COURSES_LABEL = "📚 Skill courses"


@dataclass(frozen=True)
class FixtureCourse:
    code: str
    title_fa: str
    cluster_fa: str
    province: str
    city: str
    days_from_today: int
    center_type: str = "government"
    rank: int | None = None
    capacity: int = 20
    taken: int = 5
    fee_rial: int = 10_000_000
    coverage: int = 70
    karafan: bool = False
    dormitory: bool = False
    delivery: str = "in_person"
    title_en: str = ""

    def row(self, today: dt.date) -> dict[str, str]:
        center = "آموزشگاه آزاد نوین" if self.center_type == "private" else "مرکز شماره ۱"
        return {
            "course_code": self.code,
            "standard_code": "7531-13-001-1",
            "title_fa": self.title_fa,
            "title_en": self.title_en,
            "cluster_fa": self.cluster_fa,
            "level": "درجه ۲",
            "hours_theory": "60",
            "hours_practice": "240",
            "min_education": "ابتدایی",
            "province": self.province,
            "city": self.city,
            "center_name": f"{center} {self.city}",
            "center_type": self.center_type,
            "center_rank": str(self.rank) if self.rank is not None else "",
            "start_date": to_jalali_text(today + dt.timedelta(days=self.days_from_today)),
            "capacity": str(self.capacity),
            "seats_taken": str(self.taken),
            "fee_rial": str(self.fee_rial),
            "hamnava_coverage_pct": str(self.coverage),
            "karafan": "yes" if self.karafan else "no",
            "dormitory": "yes" if self.dormitory else "no",
            "delivery": self.delivery,
        }


TEHRAN = "تهران"
IT = "فناوری اطلاعات"

# Tehran (the province `steps.register` picks): 14 open courses, soonest first = T01..T14.
TEHRAN_OPEN = [
    FixtureCourse("T01", "خیاط لباس زنانه", "صنایع پوشاک", TEHRAN, "تهران", 10,
                  center_type="private", rank=2, fee_rial=52_000_000, coverage=70,
                  title_en="Women's garment tailor"),
    FixtureCourse("T02", "کاربر رایانه", IT, TEHRAN, "تهران", 20, fee_rial=7_000_000,
                  coverage=100),
    FixtureCourse("T03", "طراح گرافیک با فتوشاپ", IT, TEHRAN, "اسلامشهر", 40,
                  center_type="private", rank=3, dormitory=True),
    FixtureCourse("T04", f"برق{ZWNJ}کار ساختمان", "برق", TEHRAN, "تهران", 50, coverage=0,
                  dormitory=True),
    FixtureCourse("T05", "حسابدار مالی", "مدیریت و بازرگانی", TEHRAN, "اسلامشهر", 70,
                  center_type="private", rank=1, karafan=True, delivery="workplace"),
    FixtureCourse("T06", "جوشکار برق", "متالورژی و جوشکاری", TEHRAN, "تهران", 100,
                  center_type="private", rank=4, delivery="workplace"),
    FixtureCourse("T07", "تراشکار", "ماشین‌ابزار", TEHRAN, "تهران", 130, dormitory=True),
    FixtureCourse("T08", "مکانیک خودروهای سواری", "خودرو", TEHRAN, "شهریار", 150),
    FixtureCourse("T09", "نان‌پز سنتی", "صنایع غذایی", TEHRAN, "تهران", 160),
    FixtureCourse("T10", "قالی‌باف", "صنایع دستی", TEHRAN, "تهران", 170),
    FixtureCourse("T11", "گلیم‌باف", "صنایع دستی", TEHRAN, "تهران", 175),
    FixtureCourse("T12", "مربی مهدکودک", "خدمات آموزشی", TEHRAN, "تهران", 200),
    FixtureCourse("T13", "مراقب سالمند در منزل", "بهداشت و ایمنی", TEHRAN, "تهران", 210),
    FixtureCourse("T14", "پرورش‌دهنده قارچ خوراکی", "کشاورزی", TEHRAN, "تهران", 220),
]
# Not in any list: full, and already started.
TEHRAN_CLOSED = [
    FixtureCourse("T90", "خیاط لباس مردانه", "صنایع پوشاک", TEHRAN, "تهران", 15,
                  capacity=12, taken=12),
    FixtureCourse("T91", "کاربر رایانه", IT, TEHRAN, "تهران", -10),
]
ELSEWHERE = [
    FixtureCourse("K01", "خیاط لباس زنانه", "صنایع پوشاک", "کرمانشاه", "کرمانشاه", 12,
                  center_type="private", rank=2),
    FixtureCourse("M01", "آرایشگر موی زنانه", "خدمات آرایش و پیرایش", "خراسان رضوی", "مشهد", 5,
                  dormitory=True),
]
FIXTURE_COURSES = TEHRAN_OPEN + TEHRAN_CLOSED + ELSEWHERE
TEHRAN_CODES = [course.code for course in TEHRAN_OPEN]
# Everything open, soonest first (what an unregistered person sees first).
ALL_OPEN_CODES = [
    course.code
    for course in sorted(TEHRAN_OPEN + ELSEWHERE, key=lambda c: c.days_from_today)
]


async def seed_courses(sandbox: Sandbox, courses: list[FixtureCourse] | None = None) -> None:
    today = today_in(sandbox.settings.timezone)
    rows = [course.row(today) for course in (courses or FIXTURE_COURSES)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "courses.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(COLUMNS))
            writer.writeheader()
            writer.writerows(rows)
        report = await import_courses(sandbox.app.session_factory, path)
    assert report.ok and report.written, report.errors[:3]


async def delete_courses(sandbox: Sandbox, *codes: str) -> None:
    async with sandbox.app.session_factory() as session:
        await session.execute(delete(Course).where(Course.course_code.in_(codes)))
        await session.commit()


async def fill_course(sandbox: Sandbox, code: str) -> None:
    async with sandbox.app.session_factory() as session:
        await session.execute(
            update(Course).where(Course.course_code == code).values(seats_taken=Course.capacity)
        )
        await session.commit()


async def open_courses(person: Person) -> None:
    await person.send(COURSES_LABEL)


def widgets_of(person: Person) -> list[str]:
    """Dialog widget ids (with item ids) of the newest screen's buttons."""
    return [data.split("\x1d")[-1] for _, data in inline_buttons(person.last())]


def button_labels(person: Person) -> list[str]:
    return [text for text, _ in inline_buttons(person.last())]


def shown_codes(person: Person, widget: str = "crs") -> list[str]:
    """Course codes on the newest screen's course buttons, top to bottom."""
    prefix = widget + ":"
    return [w[len(prefix):] for w in widgets_of(person) if w.startswith(prefix)]


def screen_text(person: Person) -> str:
    return person.last().text or ""


async def open_card(person: Person, code: str) -> None:
    await press_widget(person, f"crs:{code}")
    assert "share" in widgets_of(person), person.screen()


async def open_filters(person: Person) -> None:
    await press_widget(person, "to_filters")
    assert HAMNAVA_ONLY in widgets_of(person), person.screen()


async def show_list(person: Person) -> list[str]:
    """From the filters screen back to the list; returns the codes it shows."""
    await press_widget(person, "f_done")
    return shown_codes(person)


async def search(person: Person, text: str | None = None, **kwargs: object) -> None:
    await press_widget(person, "to_search")
    await person.send(text, **kwargs)
