"""Course catalog browsing: filters, paged lists, free-text search, course cards, saved courses.

No aiogram here: the dialogs call CatalogService and render what it returns.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

PAGE_SIZE = 6

CENTER_TYPES = ("government", "private")

_COURSE_CODE_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,32}")


def is_course_code_shaped(text: str) -> bool:
    """Letters, digits, «-»/«_», at most 32 characters: anything else never reaches the database."""
    return isinstance(text, str) and _COURSE_CODE_SHAPE.fullmatch(text) is not None


@dataclass(frozen=True, slots=True)
class CourseFilter:
    province: str | None = None  # canonical province name (bot.services.provinces); None = all
    cluster: str | None = None  # Course.cluster_fa exact value
    center_type: str | None = None  # "government" | "private"
    hamnava_only: bool = False  # hamnava_coverage_pct > 0
    karafan_only: bool = False  # karafan or delivery == "workplace"
    dormitory_only: bool = False
    starts_within_months: int | None = None
    query: str = ""  # raw user text; the service normalizes it

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form for dialog_data / FSM."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> CourseFilter:
        """Tolerant of junk (old FSM data, forged values): anything unusable becomes the default."""
        raise NotImplementedError

    def replace(self, **changes: Any) -> CourseFilter:
        return dataclasses.replace(self, **changes)


class CourseStatus(StrEnum):
    OPEN = "open"
    FULL = "full"
    STARTED = "started"


@dataclass(frozen=True, slots=True)
class CourseSummary:
    """One list row."""

    code: str
    title_fa: str
    title_en: str | None
    cluster_fa: str
    province: str
    city: str
    center_name: str
    center_type: str
    center_rank: int | None
    start_date: dt.date
    seats_left: int
    fee_rial: int
    hamnava_coverage_pct: int
    karafan: bool
    dormitory: bool
    delivery: str
    status: CourseStatus


@dataclass(frozen=True, slots=True)
class CourseCard(CourseSummary):
    """Everything the course card shows."""

    standard_code: str
    level: str | None
    hours_theory: int
    hours_practice: int
    min_education: str | None
    beneficiary_pays_rial: int  # fee_rial * (100 - coverage) / 100, rounded

    @property
    def applicable(self) -> bool:
        return self.status is CourseStatus.OPEN


@dataclass(frozen=True, slots=True)
class CoursePage:
    items: list[CourseSummary]
    page: int  # 0-based, already clamped into range
    has_prev: bool
    has_next: bool
    total: int | None  # exact count when cheap (bounded count), else None ("many")
    total_is_capped: bool


class SearchProblem(StrEnum):
    EMPTY = "empty"  # only punctuation/space after normalization


class CatalogService:
    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._session_factory = session_factory

    def check_query(self, raw: str) -> SearchProblem | None:
        raise NotImplementedError

    async def list_page(self, flt: CourseFilter, page: int, today: dt.date) -> CoursePage:
        """Open courses only (not started, seats left), soonest start first, then id.

        A page past the end gives the last page (never an error); a negative one gives page 0."""
        raise NotImplementedError

    async def card(self, code: str, today: dt.date) -> CourseCard | None:
        """Any status; None if the code is unknown (or was deleted since the list was drawn)."""
        raise NotImplementedError

    async def clusters(self, province: str | None = None) -> list[str]:
        """Cluster names for the filter buttons."""
        raise NotImplementedError

    async def save(self, person_id: int, code: str) -> bool:
        """False if the course is unknown."""
        raise NotImplementedError

    async def unsave(self, person_id: int, code: str) -> None:
        raise NotImplementedError

    async def is_saved(self, person_id: int, code: str) -> bool:
        raise NotImplementedError

    async def saved(self, person_id: int, today: dt.date) -> list[CourseSummary]:
        """Saved courses of any status, newest saved first."""
        raise NotImplementedError
