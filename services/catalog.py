"""Course catalog browsing: filters, paged lists, free-text search, course cards, saved courses.

No aiogram here: the dialogs call CatalogService and render what it returns.

How a list page is read (the work grows with the page size and the filters' selectivity, not
with the size of the catalog):
- without search words, the open courses meeting the filters are read in start order from the
  (province, start_date), (province, cluster_fa, start_date) or (start_date) index;
- each search word is first looked up in the (province, term) index (the 31 provinces' ranges
  when browsing all provinces), at most TERM_DRIVEN_MAX entries: a rare word gives a small set
  of candidate courses to start from; a word with more entries than that is common enough to be
  checked per course while reading in start order (an EXISTS probe on the (course_id, term) key).
- ids are read up to COUNT_CAP (or up to the requested page; with a word probed per course only
  up to the page), giving an exact total and the last page when the list is short, "many"
  otherwise; then only the page's rows are loaded.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.catalog_matching import SearchHelp, match_words, spelling_candidates
from services.catalog_search import MAX_QUERY_CHARS, persian_sort_key, query_terms
from services.catalog_synonyms import Synonyms, load_synonyms
from services.kept import Kept
from services.provinces import PROVINCES, canonical_province
from storage.db import read_sessions
from storage.models import Course
from storage.repositories.courses import CourseRepository, OpenCourseConditions, WordPrefixes
from storage.repositories.saved_courses import SavedCourseRepository

PAGE_SIZE = 6
# Totals are exact up to this many courses (ten pages); beyond, the page says "many".
COUNT_CAP = 60
# A search word with at most this many term-index entries drives the search (see above).
TERM_DRIVEN_MAX = 300
# Far beyond any real list; keeps a forged page number from asking the database for LIMIT 10^20.
MAX_PAGE = 10_000
MAX_MONTHS = 24
CLUSTERS_TTL_SECONDS = 30.0
# Different (filter, page) lists kept at once; past it, expired ones go, then all.
PAGE_CACHE_MAX = 4096

CENTER_TYPES = ("government", "private")
_MAX_CLUSTER_CHARS = 120  # Course.cluster_fa
_MAX_CODE_CHARS = 32  # Course.course_code

_COURSE_CODE_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,32}")


def is_course_code_shaped(text: str) -> bool:
    """Letters, digits, «-»/«_», at most 32 characters: anything else never reaches the database."""
    return isinstance(text, str) and _COURSE_CODE_SHAPE.fullmatch(text) is not None


def _flag(value: Any) -> bool:
    return value is True


@dataclass(frozen=True, slots=True)
class CourseFilter:
    province: str | None = None  # canonical province name (services.provinces); None = all
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
        if not isinstance(data, Mapping):
            return cls()
        province = data.get("province")
        cluster = data.get("cluster")
        center_type = data.get("center_type")
        months = data.get("starts_within_months")
        query = data.get("query")
        return cls(
            province=canonical_province(province) if isinstance(province, str) else None,
            cluster=(
                cluster
                if isinstance(cluster, str) and 0 < len(cluster) <= _MAX_CLUSTER_CHARS
                else None
            ),
            center_type=center_type if center_type in CENTER_TYPES else None,
            hamnava_only=_flag(data.get("hamnava_only")),
            karafan_only=_flag(data.get("karafan_only")),
            dormitory_only=_flag(data.get("dormitory_only")),
            starts_within_months=(
                months
                if isinstance(months, int)
                and not isinstance(months, bool)
                and 1 <= months <= MAX_MONTHS
                else None
            ),
            query=query[:MAX_QUERY_CHARS] if isinstance(query, str) else "",
        )

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


# A Course, or a row of storage.repositories.courses.LIST_COLUMNS (the same names).
CourseRow = Course | Row[Any]


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day when it is shorter)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last_day))


def course_status(course: CourseRow, today: dt.date) -> CourseStatus:
    if course.start_date < today:
        return CourseStatus.STARTED
    if course.seats_taken >= course.capacity:
        return CourseStatus.FULL
    return CourseStatus.OPEN


def _summary_fields(course: CourseRow, today: dt.date) -> dict[str, Any]:
    return {
        "code": course.course_code,
        "title_fa": course.title_fa,
        "title_en": course.title_en,
        "cluster_fa": course.cluster_fa,
        "province": course.province,
        "city": course.city,
        "center_name": course.center_name,
        "center_type": course.center_type,
        "center_rank": course.center_rank,
        "start_date": course.start_date,
        "seats_left": max(course.capacity - course.seats_taken, 0),
        "fee_rial": course.fee_rial,
        "hamnava_coverage_pct": course.hamnava_coverage_pct,
        "karafan": course.karafan,
        "dormitory": course.dormitory,
        "delivery": course.delivery,
        "status": course_status(course, today),
    }


def summary_of(course: CourseRow, today: dt.date) -> CourseSummary:
    return CourseSummary(**_summary_fields(course, today))


def card_of(course: Course, today: dt.date) -> CourseCard:
    coverage = min(max(course.hamnava_coverage_pct, 0), 100)
    return CourseCard(
        **_summary_fields(course, today),
        standard_code=course.standard_code,
        level=course.level,
        hours_theory=course.hours_theory,
        hours_practice=course.hours_practice,
        min_education=course.min_education,
        # Round half up, in whole rials.
        beneficiary_pays_rial=(course.fee_rial * (100 - coverage) + 50) // 100,
    )


def _plausible_code(code: object) -> bool:
    # Any code the catalog can hold; is_course_code_shaped is the stricter deep-link check.
    return isinstance(code, str) and 0 < len(code) <= _MAX_CODE_CHARS


class CatalogService:
    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        synonyms: Synonyms | None = None,
        page_ttl_seconds: float = 0.0,
    ) -> None:
        """Without `synonyms`, data/search/synonyms.json is read and checked here, so a broken
        file stops the start (SearchDataError names the file and the place).

        `page_ttl_seconds` > 0 keeps list pages that long (settings.catalog_page_seconds);
        0 reads every page afresh."""
        self._session_factory = session_factory
        # Browsing only reads (see storage.db.read_sessions); saving a course writes.
        self._reads = read_sessions(session_factory)
        self._synonyms = synonyms if synonyms is not None else load_synonyms()
        # 31 provinces and "all"; anything more is junk input.
        self._clusters: Kept[str | None, list[str]] = Kept(CLUSTERS_TTL_SECONDS, 64)
        self._page_ttl = page_ttl_seconds
        self._pages: Kept[tuple[CourseFilter, int, dt.date], CoursePage] = Kept(
            page_ttl_seconds, PAGE_CACHE_MAX
        )

    def check_query(self, raw: str) -> SearchProblem | None:
        if not isinstance(raw, str) or not query_terms(raw):
            return SearchProblem.EMPTY
        return None

    def conditions(self, flt: CourseFilter, today: dt.date) -> OpenCourseConditions:
        """The filter as database conditions (search words not included)."""
        months = flt.starts_within_months
        return OpenCourseConditions(
            today=today,
            # A province that is no province matches nothing rather than everything.
            province=(canonical_province(flt.province) or flt.province) if flt.province else None,
            cluster=flt.cluster or None,
            center_type=flt.center_type or None,
            hamnava_only=flt.hamnava_only,
            karafan_only=flt.karafan_only,
            dormitory_only=flt.dormitory_only,
            starts_before=(
                add_months(today, min(max(months, 0), MAX_MONTHS)) + dt.timedelta(days=1)
                if months is not None
                else None
            ),
        )

    def forget_pages(self) -> None:
        """Drop the kept list pages (after a write this process knows of)."""
        self._pages.clear()

    async def list_page(self, flt: CourseFilter, page: int, today: dt.date) -> CoursePage:
        """Open courses only (not started, seats left), soonest start first, then id.

        A page past the end gives the last page (never an error); a negative one gives page 0.

        With a page TTL, a page read less than that long ago is given again without asking the
        database: paging back and forth and repeated searches are most of the catalog's reads.
        Seats and the catalog change behind this process (imports run as their own process,
        the API may run in another worker), so nothing here can tell a page is stale: it is
        at most the TTL old. The card and the application always read the course afresh."""
        page = min(max(page, 0), MAX_PAGE)
        if self._page_ttl <= 0:
            return await self._read_page(flt, page, today)
        key = (flt, page, today)
        kept = self._pages.get(key)
        if kept is not None:
            return kept
        result = await self._read_page(flt, page, today)
        self._pages.put(key, result)
        return result

    async def _read_page(self, flt: CourseFilter, page: int, today: dt.date) -> CoursePage:
        conditions = self.conditions(flt, today)
        async with self._reads() as session:
            repo = CourseRepository(session)
            among: set[int] | None = None
            common: list[WordPrefixes] = []
            provinces = (conditions.province,) if conditions.province else PROVINCES
            matched = await match_words(
                repo, query_terms(flt.query), provinces, self._synonyms.alternatives,
                TERM_DRIVEN_MAX + 1,
            )  # fmt: skip
            for word in matched:
                if len(word.ids) > TERM_DRIVEN_MAX:
                    common.append(word.prefixes)
                    continue
                among = set(word.ids) if among is None else among & set(word.ids)
                if not among:
                    return CoursePage([], 0, False, False, 0, False)
            conditions = dataclasses.replace(conditions, prefixes=tuple(common))
            # Counting on means probing on, course by course, when a common word is checked
            # per course: then only as far as the page asked for.
            wanted = max(0 if common else COUNT_CAP, (page + 1) * PAGE_SIZE)
            found, rows = await repo.open_page(
                conditions, reach=wanted + 1, offset=page * PAGE_SIZE, size=PAGE_SIZE,
                among=among,
            )  # fmt: skip
            capped = found > wanted
            if not capped and not rows and found:
                # Past the end (courses removed meanwhile): the last page instead.
                page = (found - 1) // PAGE_SIZE
                found, rows = await repo.open_page(
                    conditions, reach=wanted + 1, offset=page * PAGE_SIZE, size=PAGE_SIZE,
                    among=among,
                )  # fmt: skip
            elif not found:
                page = 0
        return CoursePage(
            items=[summary_of(row, today) for row in rows],
            page=page,
            has_prev=page > 0,
            has_next=found > (page + 1) * PAGE_SIZE,
            total=None if capped else found,
            total_is_capped=capped,
        )

    async def search_help(
        self, flt: CourseFilter, today: dt.date, most: int = 3
    ) -> SearchHelp:
        """For a search that found nothing: up to `most` nearby spellings that do find open
        courses here, and how many the words find with no filter (when filters are set)."""
        words = query_terms(flt.query)
        candidates: list[str] = []
        if words:
            province = self.conditions(flt, today).province
            async with self._reads() as session:
                candidates = await spelling_candidates(
                    CourseRepository(session), words, (province,) if province else PROVINCES,
                    self._synonyms.alternatives, TERM_DRIVEN_MAX + 1,
                )  # fmt: skip
        spellings = [
            query for query in candidates[: most * 2]
            if (await self.list_page(flt.replace(query=query), 0, today)).items
        ][:most]  # fmt: skip
        if not words or flt.replace(query="") == CourseFilter():
            return SearchHelp(spellings, None, False)
        unfiltered = await self.list_page(CourseFilter(query=flt.query), 0, today)
        return SearchHelp(spellings, unfiltered.total or 0, unfiltered.total_is_capped)

    async def card(self, code: str, today: dt.date) -> CourseCard | None:
        """Any status; None if the code is unknown (or was deleted since the list was drawn)."""
        if not _plausible_code(code):
            return None
        async with self._reads() as session:
            course = await CourseRepository(session).get_by_code(code)
        return card_of(course, today) if course is not None else None

    async def clusters(self, province: str | None = None) -> list[str]:
        """Cluster names for the filter buttons, in Persian alphabetical order.

        Kept for CLUSTERS_TTL_SECONDS: the catalog changes only by an administrator's import."""
        if province is not None:
            province = canonical_province(province) or province
        cached = self._clusters.get(province)
        if cached is not None:
            return list(cached)
        async with self._reads() as session:
            names = await CourseRepository(session).clusters(province)
        names.sort(key=persian_sort_key)
        self._clusters.put(province, names)
        return list(names)

    async def save(self, person_id: int, code: str) -> bool:
        """False if the course is unknown."""
        if not _plausible_code(code):
            return False
        async with self._session_factory() as session:
            course = await CourseRepository(session).get_by_code(code)
            if course is None:
                return False
            await SavedCourseRepository(session).save(person_id, course.id)
            await session.commit()
        return True

    async def unsave(self, person_id: int, code: str) -> None:
        if not _plausible_code(code):
            return
        async with self._session_factory() as session:
            course = await CourseRepository(session).get_by_code(code)
            if course is not None:
                await SavedCourseRepository(session).unsave(person_id, course.id)
                await session.commit()

    async def is_saved(self, person_id: int, code: str) -> bool:
        if not _plausible_code(code):
            return False
        async with self._reads() as session:
            return await SavedCourseRepository(session).is_saved(person_id, code)

    async def saved(self, person_id: int, today: dt.date) -> list[CourseSummary]:
        """Saved courses of any status, newest saved first."""
        async with self._reads() as session:
            courses = await SavedCourseRepository(session).courses_of(person_id)
        return [summary_of(course, today) for course in courses]
