"""Exam sessions and results from CSV/XLSX, with the catalog import's machinery: the same file
reading, line-numbered report and all-or-nothing default.

Two layouts, told apart by their header: sessions (course_code, kind, date, time, place,
capacity; latitude and longitude optional) and results (session_id, tracking_code, result;
score optional). Every row goes through the exam service's own rules (a day in the past, a
Gregorian date, a course of another province, someone not enrolled ...) inside one
transaction: a bad row is reported with its line and column, and
unless `skip_invalid` nothing is written (nor anybody told)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from services.catalog_import.files import Layout, read_table
from services.catalog_import.importer import ImportReport
from services.catalog_import.report import DESCRIPTIONS, N_
from services.catalog_import.rows import RawRow, RowChecker, RowError
from services.exams.model import ExamError, SessionInput
from services.exams.results import check_score
from services.exams.service import ExamService
from services.staff import StaffMember
from services.text import normalize_digits, normalize_text

SESSIONS = Layout(
    "exam_sessions",
    ("course_code", "kind", "date", "time", "place", "capacity", "latitude", "longitude"),
    optional=frozenset({"latitude", "longitude"}),
    marker="course_code",
)
RESULTS = Layout(
    "exam_results", ("session_id", "tracking_code", "result", "score"),
    optional=frozenset({"score"}), marker="session_id",
)
LAYOUTS = (SESSIONS, RESULTS)
_PASS = frozenset({"pass", "passed", "قبول", "yes", "بله"})
_FAIL = frozenset({"fail", "failed", "مردود", "no", "خیر"})

# Which column an ExamError of a row is about.
_COLUMN_OF = {
    "unknown_course": "course_code", "not_allowed": "course_code", "kind": "kind",
    "in_past": "date", "date.format": "date", "date.not_exist": "date",
    "date.out_of_range": "date", "date.gregorian": "date", "time.format": "time",
    "place": "place", "capacity": "capacity", "location": "latitude",
    "no_session": "session_id", "cancelled": "session_id", "not_started": "session_id",
    "unknown_tracking": "tracking_code", "not_enrolled": "tracking_code", "score": "score",
    "result": "result",
}

# The exam import's reasons, beside the shared ones (the bot translates them, the command
# line prints them as they are).
EXAM_DESCRIPTIONS: dict[str, str] = {
    **DESCRIPTIONS,
    "header.unknown_columns": N_(
        "the header has columns that are not part of the exam import format"
    ),
    "not_allowed": N_("this course is not in your provinces"),
    "unknown_course": N_("there is no course with this code"),
    "kind": N_("expected written or practical"),
    "in_past": N_("this moment has already passed"),
    "date.gregorian": N_("a Gregorian date; write the Jalali date, like 1405/10/15"),
    "date.out_of_range": N_("not a Jalali date like 1405/09/15"),
    "time.format": N_("not a time like 09:30"),
    "place": N_("a place is required (at most 500 characters)"),
    "capacity": N_("the capacity must be a whole number greater than zero"),
    "location": N_("give both latitude and longitude, in range, or neither"),
    "no_session": N_("there is no exam session with this number"),
    "cancelled": N_("this exam session has been cancelled"),
    "not_started": N_("this exam has not been held yet"),
    "unknown_tracking": N_("there is no application with this tracking code"),
    "not_enrolled": N_("this person is not enrolled in the session's course"),
    "score": N_("the score is a whole number from 0 to 100"),
    "result": N_("expected pass or fail"),
    "duplicate_row": N_("this person's result for this session is on an earlier line too"),
}


class _ExamRowChecker(RowChecker):
    def number(self, column: str) -> float | None:
        text = normalize_digits(normalize_text(self.row.values.get(column, ""))).replace("٫", ".")
        if not text:
            return None
        try:
            return float(text)
        except ValueError:
            self.fail(column, "location")
            return None

    def session(self) -> SessionInput | None:
        capacity = self.integer("capacity", 1, 100_000)
        values = {
            "course_code": self.text("course_code", code=True) or "",
            "kind": self.text("kind") or "",
            "date_text": self.text("date") or "",
            "time_text": self.text("time") or "",
            "place": self.text("place") or "",
        }
        latitude, longitude = self.number("latitude"), self.number("longitude")
        if self.errors or capacity is None:
            return None
        return SessionInput(
            course_code=values["course_code"], kind=values["kind"],
            date_text=values["date_text"], time_text=values["time_text"],
            place=values["place"], capacity=capacity, latitude=latitude, longitude=longitude,
        )

    def result(self) -> tuple[int, str, bool, int | None] | None:
        session_id = self.integer("session_id", 1, 2**31 - 1)
        tracking = self.text("tracking_code", code=True)
        verdict = normalize_text(self.row.values.get("result", "")).lower()
        passed = True if verdict in _PASS else False if verdict in _FAIL else None
        if passed is None:
            self.fail("result", "required" if not verdict else "result")
        score: int | None = None
        try:
            score = check_score(self.row.values.get("score", ""))
        except ExamError:
            self.fail("score", "score")
        if self.errors or session_id is None or tracking is None or passed is None:
            return None
        return session_id, tracking, passed, score


async def import_exams(
    exams: ExamService, path: str | Path, *, staff: StaffMember | None = None,
    skip_invalid: bool = False, author: str = "import",
) -> tuple[str, ImportReport]:
    """(the layout's name, the report). Raises ImportFileError for an unusable file; `staff`
    None (the command line) is not limited to provinces and is recorded as `author`."""
    layout, rows = await asyncio.to_thread(read_table, path, LAYOUTS)
    report = ImportReport(total_rows=len(rows))
    seen: set[tuple[int, str]] = set()  # (session, tracking code) of the result rows so far
    async with exams.session_factory() as session:
        for row in rows:
            errors = await _one_row(exams, session, layout, row, staff, author, report, seen)
            report.errors.extend(errors)
            if errors:
                report.invalid_rows += 1
        if report.errors and not skip_invalid:
            await session.rollback()
            report.created = 0
            return layout.name, report
        await session.commit()
    report.written = True
    return layout.name, report


async def _one_row(
    exams: ExamService, session: AsyncSession, layout: Layout, row: RawRow,
    staff: StaffMember | None, author: str, report: ImportReport, seen: set[tuple[int, str]],
) -> list[RowError]:
    checker = _ExamRowChecker(row)
    if row.overflow:
        checker.fail("", "too_many_cells", ",".join(row.overflow))
    parsed = checker.session() if layout is SESSIONS else checker.result()
    if parsed is None:
        return checker.errors
    if layout is RESULTS:
        assert isinstance(parsed, tuple)
        key = (parsed[0], parsed[1])
        if key in seen:
            checker.fail("tracking_code", "duplicate_row")
            return checker.errors
        seen.add(key)
    # add_session and add_result check everything before they write anything: a refused row
    # leaves the transaction as it was (no savepoint needed; SQLite's would commit).
    try:
        if isinstance(parsed, SessionInput):
            await exams.add_session(session, parsed, staff, created_by=author)
        else:
            session_id, tracking, passed, score = parsed
            await exams.add_result(session, session_id, tracking, passed, score, staff,
                                   recorded_by=author)
    except ExamError as error:
        checker.fail(_COLUMN_OF.get(error.code, ""), error.code)
        return checker.errors
    report.created += 1
    return []
