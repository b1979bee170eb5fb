"""Course queries. Repositories query/add/flush; the calling service commits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, exists, func, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Course, CourseTerm

# Keeps IN (...) lists under SQLite's bound-parameter limit on old builds (999).
_IN_CHUNK = 500
_COURSES = Course.metadata.tables[Course.__tablename__]
_TERMS = CourseTerm.metadata.tables[CourseTerm.__tablename__]


@dataclass(frozen=True, slots=True)
class TermPrefix:
    """`low <= term < high`: a prefix match as an index range (see bot.services.catalog_search)."""

    low: str
    high: str


@dataclass(frozen=True, slots=True)
class OpenCourseConditions:
    """Which open courses a list shows. Open = starts on or after `today`, seats left."""

    today: dt.date
    province: str | None = None
    cluster: str | None = None
    center_type: str | None = None
    hamnava_only: bool = False
    karafan_only: bool = False
    dormitory_only: bool = False
    starts_before: dt.date | None = None  # exclusive
    # Every prefix must match one of the course's terms.
    prefixes: tuple[TermPrefix, ...] = ()

    def where(self) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = [
            Course.start_date >= self.today,
            Course.seats_taken < Course.capacity,
        ]
        if self.province is not None:
            conditions.append(Course.province == self.province)
        if self.cluster is not None:
            conditions.append(Course.cluster_fa == self.cluster)
        if self.center_type is not None:
            conditions.append(Course.center_type == self.center_type)
        if self.hamnava_only:
            conditions.append(Course.hamnava_coverage_pct > 0)
        if self.karafan_only:
            conditions.append(or_(Course.karafan.is_(True), Course.delivery == "workplace"))
        if self.dormitory_only:
            conditions.append(Course.dormitory.is_(True))
        if self.starts_before is not None:
            conditions.append(Course.start_date < self.starts_before)
        # Probed per course through the (course_id, term) primary key.
        conditions.extend(
            exists().where(
                CourseTerm.course_id == Course.id,
                CourseTerm.term >= prefix.low,
                CourseTerm.term < prefix.high,
            )
            for prefix in self.prefixes
        )
        return conditions


class CourseRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def count(self) -> int:
        return int(await self.session.scalar(select(func.count()).select_from(Course)) or 0)

    async def get_by_codes(self, codes: Iterable[str]) -> dict[str, Course]:
        unique = list(dict.fromkeys(codes))
        found: dict[str, Course] = {}
        for start in range(0, len(unique), _IN_CHUNK):
            chunk = unique[start : start + _IN_CHUNK]
            rows = await self.session.scalars(select(Course).where(Course.course_code.in_(chunk)))
            found.update((course.course_code, course) for course in rows)
        return found

    async def get_by_code(self, code: str) -> Course | None:
        return await self.session.scalar(select(Course).where(Course.course_code == code))

    async def get_by_ids(self, ids: Sequence[int]) -> list[Course]:
        """The courses of `ids` that still exist, in the order of `ids`."""
        found: dict[int, Course] = {}
        for start in range(0, len(ids), _IN_CHUNK):
            chunk = ids[start : start + _IN_CHUNK]
            rows = await self.session.scalars(select(Course).where(Course.id.in_(chunk)))
            found.update((course.id, course) for course in rows)
        return [found[course_id] for course_id in ids if course_id in found]

    def add(self, course: Course) -> None:
        self.session.add(course)

    async def insert_many(self, rows: Sequence[Mapping[str, Any]]) -> list[int]:
        """Bulk INSERT of plain column dicts, for catalog imports of 100k rows; returns the new
        ids in the order of `rows`.

        Core table insert, not the ORM bulk path: about three times faster per row here.
        """
        if not rows:
            return []
        statement = insert(_COURSES).returning(_COURSES.c.id, sort_by_parameter_order=True)
        result = await self.session.execute(statement, list(rows))
        return list(result.scalars())

    async def insert_terms(self, rows: Sequence[Mapping[str, Any]]) -> None:
        """Bulk INSERT of {"course_id", "term", "province"} dicts."""
        if rows:
            await self.session.execute(insert(_TERMS), list(rows))

    async def delete_terms(self, course_ids: Collection[int]) -> None:
        ids = list(course_ids)
        for start in range(0, len(ids), _IN_CHUNK):
            chunk = ids[start : start + _IN_CHUNK]
            await self.session.execute(delete(CourseTerm).where(CourseTerm.course_id.in_(chunk)))

    async def flush(self) -> None:
        await self.session.flush()

    async def list_open_in_province(
        self, province: str, today: dt.date, limit: int = 10, offset: int = 0
    ) -> Sequence[Course]:
        """Courses in a province that have not started and still have seats, soonest first."""
        ids = await self.open_ids(
            OpenCourseConditions(today=today, province=province), limit=limit, offset=offset
        )
        return await self.get_by_ids(ids)

    async def open_ids(
        self,
        conditions: OpenCourseConditions,
        *,
        limit: int,
        offset: int = 0,
        among: Collection[int] | None = None,
    ) -> list[int]:
        """Ids of the open courses that meet `conditions` (and are in `among`, when given),
        soonest start first, then by id."""
        where = conditions.where()
        if among is not None:
            if not among:
                return []
            where.append(Course.id.in_(list(among)))
        query = (
            select(Course.id)
            .where(and_(*where))
            .order_by(Course.start_date, Course.id)
            .limit(limit)
            .offset(offset)
        )
        return list(await self.session.scalars(query))

    async def ids_with_term(
        self, prefix: TermPrefix, province: str | None, limit: int
    ) -> list[int]:
        """Course ids having a term in the prefix range, read from the (province, term) or
        (term) index alone; at most `limit` index entries (a course may repeat)."""
        query = select(CourseTerm.course_id).where(
            CourseTerm.term >= prefix.low, CourseTerm.term < prefix.high
        )
        if province is not None:
            query = query.where(CourseTerm.province == province)
        return list(await self.session.scalars(query.limit(limit)))

    async def clusters(self, province: str | None) -> list[str]:
        query = select(Course.cluster_fa).distinct()
        if province is not None:
            query = query.where(Course.province == province)
        return list(await self.session.scalars(query))
