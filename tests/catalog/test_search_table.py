"""What people type, against the sample catalog: a trade's name finds its worker's course
(«خیاطی» → «خیاط لباس زنانه»), words written apart or together, plurals, counselor synonyms,
one typo in a long word; and nothing unrelated comes along (each row names the exact titles).
Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL; both search plans."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.catalog import CatalogService, CourseFilter
from tests.catalog.helpers import import_rows, sample_rows
from tests.catalog.service_helpers import Factory, all_codes, starts

ZWNJ = "\u200c"
TAILOR = "خیاط لباس زنانه"
HAIR = "آرایشگر موی زنانه"
COOK = "کمک آشپز"
ACCOUNTANT = "حسابدار مالی"
CARPET = f"قالی{ZWNJ}باف"
PLUMBER = f"لوله{ZWNJ}کش آب و فاضلاب ساختمان"
COMPUTER = "کاربر رایانه"
PHONE = "تعمیرکار تلفن همراه"
WELDER = "جوشکار برق"
ELECTRICIAN = f"برق{ZWNJ}کار ساختمان"
MECHANIC = "مکانیک خودروهای سواری"
BAKER = f"نان{ZWNJ}پز سنتی"
KILIM = f"گلیم{ZWNJ}باف"
CABINET = f"کابینت{ZWNJ}ساز چوبی"
DESIGNER = "طراح گرافیک با فتوشاپ"
MARKETER = "بازاریاب فروش آنلاین"
ELDER_CARE = "مراقب سالمند در منزل"
KINDERGARTEN = "مربی مهدکودک"
MUSHROOM = f"پرورش{ZWNJ}دهنده قارچ خوراکی"
COOLER = "نصب و تعمیر کولر گازی اسپلیت"
FARM_MACHINES = f"تعمیرکار ماشین{ZWNJ}آلات کشاورزی"
LATHE = "تراشکار"

# (what a person types, the titles of every course it must find — and no other)
TABLE: list[tuple[str, set[str]]] = [
    # The trade's name finds the worker's course (the words of the issue).
    ("خیاطی", {TAILOR}),
    ("آرایشگری", {HAIR}),
    ("آشپزی", {COOK}),
    ("حسابداری", {ACCOUNTANT}),
    ("قالیبافی", {CARPET}),
    ("لوله کشی", {PLUMBER}),
    ("کامپیوتر", {COMPUTER}),
    ("موبایل", {PHONE}),
    # ... written with ZWNJ, apart, together, with plural endings, without the madda.
    ("خیاط", {TAILOR}),
    ("خیاطها", {TAILOR}),
    (f"خیاطی{ZWNJ}ها", {TAILOR}),
    ("ارایشگری", {HAIR}),
    ("آشپز", {COOK}),
    ("حسابدارها", {ACCOUNTANT}),
    (f"قالی{ZWNJ}بافی", {CARPET}),
    ("قالی بافی", {CARPET}),
    ("قالی", {CARPET}),
    (f"لوله{ZWNJ}کشی", {PLUMBER}),
    ("لولهکشی", {PLUMBER}),
    ("جوشکاری", {WELDER}),
    ("تراشکاری", {LATHE}),
    ("برقکاری", {ELECTRICIAN}),
    ("برق کاری", {ELECTRICIAN}),
    ("مکانیکی", {MECHANIC}),
    ("نان پزی", {BAKER}),
    (f"گلیم{ZWNJ}بافی", {KILIM}),
    (f"کابینت{ZWNJ}سازی", {CABINET}),
    ("طراحی گرافیک", {DESIGNER}),
    ("گرافیکی", {DESIGNER}),
    ("بازاریابی", {MARKETER}),
    ("مراقبت سالمندان", {ELDER_CARE}),
    ("مهد کودک", {KINDERGARTEN}),
    (f"قارچ{ZWNJ}ها", {MUSHROOM}),
    (f"رایانه{ZWNJ}ای", {COMPUTER}),
    ("ساختمانی", {ELECTRICIAN, PLUMBER}),
    ("کشاورزی", {FARM_MACHINES, MUSHROOM}),
    ("تعمیرکاری کولر", {COOLER}),
    # Synonyms from data/search/synonyms.json.
    ("کامپیوتری", {COMPUTER}),
    ("گوشی", {PHONE}),
    ("تعمیر موبایل", {PHONE}),
    ("اتومبیل", {MECHANIC}),
    ("نانوایی", {BAKER}),
    ("فرش", {CARPET}),
    ("تهویه مطبوع", {COOLER}),
    # One typo in a word of six letters or more; none in shorter words.
    ("حسابدری", {ACCOUNTANT}),
    ("رایانح", {COMPUTER}),
    ("خیاد", set()),
    # Unrelated words stay unrelated.
    ("کاربر خیاط", set()),
    ("دستی", {CARPET, KILIM}),
]


@pytest.fixture
async def sample_catalog(session_factory: Factory, tmp_path: Path) -> CatalogService:
    rows = [
        {**row, "start_date": starts(index + 1), "seats_taken": "0"}
        for index, row in enumerate(sample_rows())
    ]
    await import_rows(session_factory, tmp_path, rows)
    return CatalogService(session_factory)


def test_the_table_is_as_long_as_promised() -> None:
    assert len(TABLE) >= 40 and len({query for query, _ in TABLE}) == len(TABLE)


async def test_search_table(sample_catalog: CatalogService, plan: str) -> None:
    titles = {row["course_code"]: row["title_fa"] for row in sample_rows()}
    wrong = {}
    for query, expected in TABLE:
        codes = await all_codes(sample_catalog, CourseFilter(query=query))
        found = {titles[code] for code in codes}
        if found != expected:
            wrong[query] = (sorted(found), sorted(expected))
    assert not wrong, wrong
