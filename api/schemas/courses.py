"""Courses: the upsert batch (the catalog file's columns) and its per-item answers."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from services.catalog_import.report import describe_code
from services.integration import CourseItemResult

Cell = str | int | bool | None

COURSE_EXAMPLE: dict[str, Any] = {
    "course_code": "TVT-1021", "standard_code": "7531-23-001-1", "title_fa": "خیاطی زنانه",
    "title_en": "Women's tailoring", "cluster_fa": "پوشاک", "level": "درجه ۲",
    "hours_theory": 80, "hours_practice": 220, "min_education": "سیکل", "province": "تهران",
    "city": "شهریار", "center_name": "آموزشگاه آزاد نگین", "center_type": "private",
    "center_rank": 2, "start_date": "1405/10/01", "capacity": 20, "seats_taken": 4,
    "fee_rial": 45000000, "hamnava_coverage_pct": 70, "karafan": True, "dormitory": False,
    "delivery": "in_person",
}


class CourseIn(BaseModel):
    """One course, in the catalog file's columns and rules (dates Jalali like 1405/10/01)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [COURSE_EXAMPLE]})

    course_code: Cell = None
    standard_code: Cell = None
    title_fa: Cell = None
    title_en: Cell = None
    cluster_fa: Cell = None
    level: Cell = None
    hours_theory: Cell = None
    hours_practice: Cell = None
    min_education: Cell = None
    province: Cell = None
    city: Cell = None
    center_name: Cell = None
    center_type: Cell = Field(default=None, description="government | private")
    center_rank: Cell = Field(default=None, description="1..5, private centers only")
    start_date: Cell = None
    capacity: Cell = None
    seats_taken: Cell = None
    fee_rial: Cell = None
    hamnava_coverage_pct: Cell = None
    karafan: Cell = None
    dormitory: Cell = None
    delivery: Cell = Field(default=None, description="in_person | workplace | mixed")


class CoursesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: list[CourseIn] = Field(min_length=1, max_length=500)


class ItemError(BaseModel):
    field: str = Field(description="The column; empty for the item as a whole",
                       examples=["start_date"])
    code: str = Field(examples=["date.format"])
    message: str = Field(examples=["not a Jalali date like 1405/09/15"])


class CourseResult(BaseModel):
    index: int = Field(description="The item's place in the request, from 0")
    course_code: str | None = Field(examples=["TVT-1021"])
    outcome: Literal["created", "updated", "unchanged", "invalid"]
    errors: list[ItemError]


class CoursesOut(BaseModel):
    results: list[CourseResult]
    written: int = Field(description="Items created or updated")
    invalid: int


class CourseClosed(BaseModel):
    course_code: str = Field(examples=["TVT-1021"])
    was_open: bool


_EXTRA_CODES = {"province.not_allowed": "this client may not write courses of this province"}


def results_of(results: list[CourseItemResult]) -> CoursesOut:
    out = [
        CourseResult(
            index=r.index, course_code=r.course_code,
            outcome=r.outcome,  # type: ignore[arg-type]
            errors=[
                ItemError(field=e.column, code=e.reason_code,
                          message=_EXTRA_CODES.get(e.reason_code) or describe_code(e.reason_code))
                for e in r.errors
            ],
        )
        for r in results
    ]
    return CoursesOut(
        results=out, written=sum(r.outcome in ("created", "updated") for r in results),
        invalid=sum(r.outcome == "invalid" for r in results),
    )
