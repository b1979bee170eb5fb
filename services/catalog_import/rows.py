"""Row rules of the course catalog: one raw row of text cells -> a CourseInput or RowErrors."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table

from services.catalog import is_course_code_shaped
from services.jalali import PLAN_YEARS, InvalidJalaliDate, read_date
from services.provinces import canonical_province
from services.text import normalize_digits, normalize_text, search_key
from storage.models import Course

# The columns of data/sample_courses.csv; names are exact, order is free.
COLUMNS: tuple[str, ...] = (
    "course_code", "standard_code", "title_fa", "title_en", "cluster_fa", "level",
    "hours_theory", "hours_practice", "min_education", "province", "city", "center_name",
    "center_type", "center_rank", "start_date", "capacity", "seats_taken", "fee_rial",
    "hamnava_coverage_pct", "karafan", "dormitory", "delivery",
)  # fmt: skip

_COLUMN_ORDER = {name: index for index, name in enumerate(COLUMNS)}

ROW_ERROR_CODES: tuple[str, ...] = (
    "required",
    "too_long",
    "not_integer",
    "out_of_range",
    "unknown_province",
    "date.format",
    "date.not_exist",
    "date.out_of_range",
    "not_yes_no",
    "not_allowed_value",
    "rank.required_for_private",
    "rank.not_allowed_for_government",
    "seats.over_capacity",
    "duplicate_code",
    "code.bad_shape",
    "too_many_cells",
)

ROW_DESCRIPTIONS: dict[str, str] = {
    "required": "a value is required",
    "too_long": "the value is too long",
    "not_integer": "not a whole number",
    "out_of_range": "the number is out of the allowed range",
    "unknown_province": "not one of Iran's 31 provinces",
    "date.format": "not a Jalali date like 1405/09/15",
    "date.not_exist": "this Jalali date does not exist",
    "date.out_of_range": "the year is outside 1390..1480 (Jalali) or 1900..2100 (Gregorian)",
    "not_yes_no": "expected yes/no (or بله/خیر)",
    "not_allowed_value": "not one of the allowed values",
    "rank.required_for_private": "private centers need a rank 1..5",
    "rank.not_allowed_for_government": "government centers have no rank; leave it empty",
    "seats.over_capacity": "seats_taken is larger than capacity",
    "duplicate_code": "this course_code already appears on an earlier line",
    "code.bad_shape": "a course_code may only have Latin letters, digits, - and _",
    "too_many_cells": "the row has more cells than the header",
}

CENTER_TYPES = ("government", "private")
DELIVERY_MODES = ("in_person", "workplace", "mixed")
_YES = frozenset({"yes", "y", "true", "1", "بله", "بلی", "آری", "اری"})
_NO = frozenset({"no", "n", "false", "0", "خیر", "نه"})
_INT32_MAX = 2**31 - 1
_FEE_MAX = 10**15
_GROUPED_NUMBER = re.compile(r"\d{1,3}(?:[,\u066c]\d{3})+")


@dataclass(frozen=True)
class RawRow:
    line: int
    values: dict[str, str]
    overflow: tuple[str, ...] = ()


@dataclass(frozen=True)
class RowError:
    line: int
    column: str  # "" when the error is about the row as a whole
    reason_code: str
    value: str


@dataclass(frozen=True)
class CourseInput:
    """A validated row; field names equal Course attributes."""

    course_code: str
    standard_code: str
    title_fa: str
    title_en: str | None
    cluster_fa: str
    level: str | None
    hours_theory: int
    hours_practice: int
    min_education: str | None
    province: str
    city: str
    center_name: str
    center_type: str
    center_rank: int | None
    start_date: dt.date
    capacity: int
    seats_taken: int
    fee_rial: int
    hamnava_coverage_pct: int
    karafan: bool
    dormitory: bool
    delivery: str

    @property
    def search_text(self) -> str:
        parts = (self.title_fa, self.title_en or "", self.cluster_fa, self.center_name, self.city)
        return search_key(" ".join(parts))

    def model_fields(self) -> dict[str, Any]:
        # Not dataclasses.asdict: it deep-copies every value, a third of a large import's time.
        fields = {name: getattr(self, name) for name in _INPUT_FIELDS}
        fields["search_text"] = self.search_text
        return fields


_INPUT_FIELDS: tuple[str, ...] = tuple(field.name for field in dataclasses.fields(CourseInput))


@functools.cache
def _max_length(table: Table, column: str) -> int | None:
    found = table.columns.get(column)
    return None if found is None else getattr(found.type, "length", None)


class RowChecker:
    """The cell rules every import shares (text, whole numbers, choices, yes/no, provinces,
    dates), collecting every problem of the row. Text limits come from `table`'s columns of
    the same name; other imports pass their own table (or subclass to add rules)."""

    table: Table = cast(Table, Course.__table__)

    def __init__(self, row: RawRow) -> None:
        self.row = row
        self.errors: list[RowError] = []

    def fail(self, column: str, code: str, value: str | None = None) -> None:
        raw = self.row.values.get(column, "") if value is None else value
        self.errors.append(RowError(self.row.line, column, code, raw))

    def text(self, column: str, *, required: bool = True, code: bool = False) -> str | None:
        value = normalize_text(self.row.values[column])
        if code:
            value = normalize_digits(value)
        if not value:
            if required:
                self.fail(column, "required")
            return None
        limit = _max_length(self.table, column)
        if limit is not None and len(value) > limit:
            self.fail(column, "too_long")
            return None
        return value

    def integer(self, column: str, low: int, high: int, *, required: bool = True) -> int | None:
        text = normalize_digits(normalize_text(self.row.values[column])).replace(" ", "")
        if not text:
            if required:
                self.fail(column, "required")
            return None
        # Only proper thousands grouping is accepted: "1,5" must not silently become 15.
        if _GROUPED_NUMBER.fullmatch(text):
            text = re.sub(r"[,\u066c]", "", text)
        if not re.fullmatch(r"[+-]?\d+", text):
            self.fail(column, "not_integer")
            return None
        value = int(text)
        if not low <= value <= high:
            self.fail(column, "out_of_range")
            return None
        return value

    def choice(self, column: str, allowed: tuple[str, ...]) -> str | None:
        value = normalize_text(self.row.values[column]).lower()
        if not value:
            self.fail(column, "required")
            return None
        if value not in allowed:
            self.fail(column, "not_allowed_value")
            return None
        return value

    def yes_no(self, column: str) -> bool | None:
        value = normalize_text(self.row.values[column]).lower()
        if value in _YES:
            return True
        if value in _NO:
            return False
        self.fail(column, "required" if not value else "not_yes_no")
        return None

    def province(self, column: str) -> str | None:
        value = self.text(column)
        if value is None:
            return None
        canonical = canonical_province(value)
        if canonical is None:
            self.fail(column, "unknown_province")
        return canonical

    def jalali(self, column: str) -> dt.date | None:
        value = normalize_text(self.row.values[column])
        if not value:
            self.fail(column, "required")
            return None
        try:
            # A Gregorian date (year 1900..2100) is converted, as everywhere a date is read.
            return read_date(value, PLAN_YEARS)
        except InvalidJalaliDate as exc:
            self.fail(column, f"date.{exc.reason}")
            return None


class _CourseRowChecker(RowChecker):
    """The catalog's own rules on top of the shared ones."""

    def course_code(self) -> str | None:
        # The code travels in deep links and button data (64 bytes on Telegram): a code that
        # cannot, would make its course impossible to open.
        value = self.text("course_code", code=True)
        if value is not None and not is_course_code_shaped(value):
            self.fail("course_code", "code.bad_shape")
            return None
        return value

    def rank(self, center_type: str | None) -> int | None:
        present = bool(normalize_text(self.row.values["center_rank"]))
        if center_type == "government" and present:
            self.fail("center_rank", "rank.not_allowed_for_government")
            return None
        if center_type == "private" and not present:
            self.fail("center_rank", "rank.required_for_private")
            return None
        return self.integer("center_rank", 1, 5, required=False)

    def build(self) -> CourseInput | None:
        if self.row.overflow:
            self.fail("", "too_many_cells", ",".join(self.row.overflow))
        center_type = self.choice("center_type", CENTER_TYPES)
        capacity = self.integer("capacity", 1, _INT32_MAX)
        seats_taken = self.integer("seats_taken", 0, _INT32_MAX)
        if capacity is not None and seats_taken is not None and seats_taken > capacity:
            self.fail("seats_taken", "seats.over_capacity")
        values: dict[str, Any] = {
            "course_code": self.course_code(),
            "standard_code": self.text("standard_code", code=True),
            "title_fa": self.text("title_fa"),
            "title_en": self.text("title_en", required=False),
            "cluster_fa": self.text("cluster_fa"),
            "level": self.text("level", required=False),
            "hours_theory": self.integer("hours_theory", 0, _INT32_MAX),
            "hours_practice": self.integer("hours_practice", 0, _INT32_MAX),
            "min_education": self.text("min_education", required=False),
            "province": self.province("province"),
            "city": self.text("city"),
            "center_name": self.text("center_name"),
            "center_type": center_type,
            "center_rank": self.rank(center_type),
            "start_date": self.jalali("start_date"),
            "capacity": capacity,
            "seats_taken": seats_taken,
            "fee_rial": self.integer("fee_rial", 0, _FEE_MAX),
            "hamnava_coverage_pct": self.integer("hamnava_coverage_pct", 0, 100),
            "karafan": self.yes_no("karafan"),
            "dormitory": self.yes_no("dormitory"),
            "delivery": self.choice("delivery", DELIVERY_MODES),
        }
        return None if self.errors else CourseInput(**values)


def validate_rows(rows: Iterable[RawRow]) -> tuple[list[CourseInput], list[RowError]]:
    """Every row checked (not stopping at the first error), errors in line order.

    A course_code seen on an earlier line makes the later line an error, never the first one.
    """
    inputs: list[CourseInput] = []
    errors: list[RowError] = []
    seen_codes: set[str] = set()
    for row in rows:
        checker = _CourseRowChecker(row)
        course = checker.build()
        code = normalize_digits(normalize_text(row.values.get("course_code", "")))
        if code:
            if code in seen_codes:
                checker.fail("course_code", "duplicate_code")
                course = None
            seen_codes.add(code)
        errors.extend(sorted(checker.errors, key=lambda error: _COLUMN_ORDER.get(error.column, -1)))
        if course is not None:
            inputs.append(course)
    return inputs, errors
