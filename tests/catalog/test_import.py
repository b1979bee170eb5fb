"""Catalog import against a real database (SQLite; PostgreSQL too when TEST_DATABASE_URL is set)."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.catalog_import import (
    BATCH_SIZE,
    COLUMNS,
    FILE_ERROR_CODES,
    ImportFileError,
    describe_error,
    import_courses,
    read_rows,
    seed_sample_catalog_if_empty,
)
from services.jalali import parse_jalali
from storage.models import Course
from storage.repositories.courses import CourseRepository
from tests.catalog.conftest import SAMPLE_CSV
from tests.catalog.helpers import sample_rows, write_csv

Factory = async_sessionmaker[AsyncSession]


async def all_courses(session_factory: Factory) -> dict[str, Course]:
    async with session_factory() as session:
        rows = await session.scalars(select(Course))
        return {course.course_code: course for course in rows}


async def test_sample_file_imports_44_courses(session_factory: Factory) -> None:
    calls: list[tuple[int, int]] = []
    report = await import_courses(session_factory, SAMPLE_CSV, progress=lambda *a: calls.append(a))
    assert (report.total_rows, report.created, report.updated, report.unchanged) == (44, 44, 0, 0)
    assert report.ok and report.written and report.errors == []
    assert calls == [(44, 44)]
    courses = await all_courses(session_factory)
    assert len(courses) == 44
    c003 = courses["C003"]
    assert c003.province == "اصفهان" and c003.center_type == "government"
    assert c003.center_rank is None
    assert c003.start_date == dt.date(2026, 12, 6)
    assert c003.search_text.startswith("کاربر رایانه computer operator")


async def test_reimport_changes_nothing(session_factory: Factory) -> None:
    await import_courses(session_factory, SAMPLE_CSV)
    before = {code: c.updated_at for code, c in (await all_courses(session_factory)).items()}
    report = await import_courses(session_factory, SAMPLE_CSV)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 44)
    after = {code: c.updated_at for code, c in (await all_courses(session_factory)).items()}
    assert after == before


async def test_changed_row_is_updated_and_new_row_created(
    session_factory: Factory, tmp_path: Path
) -> None:
    await import_courses(session_factory, SAMPLE_CSV)
    rows = sample_rows()
    rows[4]["fee_rial"] = "99000000"
    rows.append({**rows[0], "course_code": "C100"})
    report = await import_courses(session_factory, write_csv(tmp_path / "c.csv", rows))
    assert (report.created, report.updated, report.unchanged) == (1, 1, 43)
    courses = await all_courses(session_factory)
    assert courses["C005"].fee_rial == 99_000_000
    assert len(courses) == 45


def _file_with_bad_rows(tmp_path: Path) -> Path:
    rows = sample_rows()[:5]
    rows[1]["province"] = "مشهد"  # line 3
    rows[3]["start_date"] = "1404/12/30"  # line 5
    rows[3]["capacity"] = "0"
    return write_csv(tmp_path / "bad.csv", rows)


async def test_bad_rows_are_reported_and_nothing_is_written(
    session_factory: Factory, tmp_path: Path
) -> None:
    report = await import_courses(session_factory, _file_with_bad_rows(tmp_path))
    assert not report.written and not report.ok
    assert [(e.line, e.column, e.reason_code) for e in report.errors] == [
        (3, "province", "unknown_province"),
        (5, "start_date", "date.not_exist"),
        (5, "capacity", "out_of_range"),
    ]
    assert report.invalid_rows == 2
    assert report.created == 0
    assert await all_courses(session_factory) == {}


async def test_bad_file_leaves_an_existing_catalog_alone(
    session_factory: Factory, tmp_path: Path
) -> None:
    await import_courses(session_factory, SAMPLE_CSV)
    rows = sample_rows()
    rows[0]["fee_rial"] = "1"
    rows[1]["capacity"] = "-3"
    report = await import_courses(session_factory, write_csv(tmp_path / "bad.csv", rows))
    assert not report.written
    assert (await all_courses(session_factory))["C001"].fee_rial == 52_000_000


async def test_skip_invalid_writes_the_good_rows(session_factory: Factory, tmp_path: Path) -> None:
    report = await import_courses(session_factory, _file_with_bad_rows(tmp_path), skip_invalid=True)
    assert report.written and report.created == 3 and report.invalid_rows == 2
    assert len(report.errors) == 3
    assert sorted(await all_courses(session_factory)) == ["C001", "C003", "C005"]


async def test_xlsx_imports(session_factory: Factory, tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    columns = list(reversed(COLUMNS))  # order is free
    sheet.append(columns)
    for row in sample_rows():
        cells: list[object] = [row[name] for name in columns]
        for number_column in ("capacity", "fee_rial", "hours_theory"):
            cells[columns.index(number_column)] = int(row[number_column])
        sheet.append(cells)
    # A date typed as a real Excel date is Gregorian; it must land on the same day.
    sheet.cell(row=2, column=columns.index("start_date") + 1, value=dt.datetime(2026, 12, 6))
    sheet.cell(row=3, column=columns.index("capacity") + 1, value=12.0)
    path = tmp_path / "catalog.xlsx"
    workbook.save(path)

    report = await import_courses(session_factory, path)
    assert (report.created, report.errors) == (44, [])
    courses = await all_courses(session_factory)
    assert courses["C001"].start_date == dt.date(2026, 12, 6)
    assert courses["C002"].capacity == 12
    # The same catalog through CSV is a no-op: both readers produce the same values.
    again = await import_courses(session_factory, SAMPLE_CSV)
    assert again.unchanged == 44


async def test_batches_and_progress_for_a_larger_file(
    session_factory: Factory, tmp_path: Path
) -> None:
    template = sample_rows()[0]
    rows = [{**template, "course_code": f"B{index:05d}"} for index in range(BATCH_SIZE * 2 + 7)]
    calls: list[tuple[int, int]] = []
    report = await import_courses(
        session_factory, write_csv(tmp_path / "big.csv", rows), progress=lambda *a: calls.append(a)
    )
    total = len(rows)
    assert report.created == total
    assert calls == [(BATCH_SIZE, total), (BATCH_SIZE * 2, total), (total, total)]
    async with session_factory() as session:
        assert await CourseRepository(session).count() == total


def _file_error(path: Path) -> ImportFileError:
    with pytest.raises(ImportFileError) as error:
        read_rows(path)
    assert error.value.code in FILE_ERROR_CODES
    return error.value


def test_wrong_headers_are_reported(tmp_path: Path) -> None:
    columns = [name for name in COLUMNS if name not in ("fee_rial", "delivery")] + ["price"]
    error = _file_error(write_csv(tmp_path / "h.csv", sample_rows(), columns=columns))
    assert error.code == "header.missing_columns"
    assert error.missing == ("fee_rial", "delivery")
    assert error.unknown == ("price",)
    assert "fee_rial" in str(error) and "'price'" in str(error)

    extra = write_csv(tmp_path / "u.csv", sample_rows(), columns=[*COLUMNS, "notes"])
    assert _file_error(extra).code == "header.unknown_columns"

    duplicated = tmp_path / "d.csv"
    duplicated.write_text(",".join([*COLUMNS, "city"]) + "\n", encoding="utf-8")
    assert _file_error(duplicated).code == "header.duplicate_columns"


def test_empty_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert _file_error(empty).code == "file.empty"
    blank = tmp_path / "blank.csv"
    blank.write_text("\n\n , ,\n", encoding="utf-8")
    assert _file_error(blank).code == "file.empty"
    header_only = write_csv(tmp_path / "header.csv", [])
    assert _file_error(header_only).code == "file.no_rows"


def test_binary_and_foreign_files_are_rejected(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.csv"
    garbage.write_bytes(bytes(range(256)) * 8)
    assert _file_error(garbage).code == "file.unsupported_type"
    legacy = tmp_path / "cp1256.csv"
    legacy.write_bytes(",".join(COLUMNS).encode() + "\nمشهد".encode("cp1256"))
    assert _file_error(legacy).code == "file.unsupported_type"
    not_a_workbook = tmp_path / "catalog.xlsx"
    with zipfile.ZipFile(not_a_workbook, "w") as archive:
        archive.writestr("hello.txt", "not a spreadsheet")
    assert _file_error(not_a_workbook).code == "file.unsupported_type"


def test_too_large_file_is_rejected_before_reading(tmp_path: Path) -> None:
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as handle:
        handle.truncate(20 * 1024 * 1024 + 1)  # sparse: costs no disk
    assert _file_error(huge).code == "file.too_large"


def test_bom_line_numbers_and_multiline_cells(tmp_path: Path) -> None:
    rows = sample_rows()[:3]
    rows[0]["title_en"] = "Women's\ngarment tailor"  # a quoted cell spanning two lines
    path = write_csv(tmp_path / "bom.csv", rows, bom=True)
    read = read_rows(path)
    assert [row.line for row in read] == [2, 4, 5]
    assert read[0].values["course_code"] == "C001"


async def test_duplicate_codes_in_a_file(session_factory: Factory, tmp_path: Path) -> None:
    rows = sample_rows()[:3]
    rows.append({**sample_rows()[5], "course_code": "C002"})
    report = await import_courses(session_factory, write_csv(tmp_path / "dup.csv", rows))
    assert [(e.line, e.column, e.reason_code) for e in report.errors] == [
        (5, "course_code", "duplicate_code")
    ]
    assert not report.written and await all_courses(session_factory) == {}


async def test_seed_sample_catalog_only_when_empty(session_factory: Factory) -> None:
    assert await seed_sample_catalog_if_empty(session_factory, SAMPLE_CSV) == 44
    assert await seed_sample_catalog_if_empty(session_factory, SAMPLE_CSV) == 0
    async with session_factory() as session:
        assert await CourseRepository(session).count() == 44


async def test_list_open_in_province(session_factory: Factory) -> None:
    await import_courses(session_factory, SAMPLE_CSV)
    async with session_factory() as session:
        repo = CourseRepository(session)
        tehran = await repo.list_open_in_province("تهران", dt.date(2026, 1, 1), limit=50)
        assert [c.course_code for c in tehran] == expected_open_in_tehran()
        later = await repo.list_open_in_province("تهران", dt.date(2027, 3, 1), limit=50)
        assert all(c.start_date >= dt.date(2027, 3, 1) for c in later)
        assert len(later) < len(tehran)
        page = await repo.list_open_in_province("تهران", dt.date(2026, 1, 1), limit=2, offset=1)
        assert [c.id for c in page] == [c.id for c in tehran[1:3]]
        full = (await repo.get_by_codes(["C017"]))["C017"]
        full.seats_taken = full.capacity
        await session.commit()
        remaining = await repo.list_open_in_province("تهران", dt.date(2026, 1, 1), limit=50)
        assert [c.course_code for c in remaining] == [
            code for code in expected_open_in_tehran() if code != "C017"
        ]
        found = await repo.get_by_codes(["C001", "C002", "nope"])
        assert sorted(found) == ["C001", "C002"]


def expected_open_in_tehran() -> list[str]:
    open_rows = [
        (parse_jalali(row["start_date"]), index, row["course_code"])
        for index, row in enumerate(sample_rows())
        if row["province"] == "تهران" and int(row["seats_taken"]) < int(row["capacity"])
    ]
    return [code for _, _, code in sorted(open_rows)]


def test_every_file_code_has_a_description() -> None:
    for code in FILE_ERROR_CODES:
        assert describe_error(code) != code
