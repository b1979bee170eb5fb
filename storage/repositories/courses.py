"""Course queries. Repositories query/add/flush; the calling service commits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Course

# Keeps IN (...) lists under SQLite's bound-parameter limit on old builds (999).
_IN_CHUNK = 500
_COURSES = Course.metadata.tables[Course.__tablename__]


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

    def add(self, course: Course) -> None:
        self.session.add(course)

    async def insert_many(self, rows: Sequence[Mapping[str, Any]]) -> None:
        """Bulk INSERT of plain column dicts, for catalog imports of 100k rows.

        Core table insert, not the ORM bulk path: about three times faster per row here.
        """
        if rows:
            await self.session.execute(insert(_COURSES), list(rows))

    async def flush(self) -> None:
        await self.session.flush()

    async def list_open_in_province(
        self, province: str, today: dt.date, limit: int = 10, offset: int = 0
    ) -> Sequence[Course]:
        """Courses in a province that have not started and still have seats, soonest first."""
        query = (
            select(Course)
            .where(
                Course.province == province,
                Course.start_date >= today,
                Course.seats_taken < Course.capacity,
            )
            .order_by(Course.start_date, Course.id)
            .limit(limit)
            .offset(offset)
        )
        return (await self.session.scalars(query)).all()
