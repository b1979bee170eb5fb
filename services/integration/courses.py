"""Courses pushed by a connected system: upsert a batch (each item checked by the catalog
import's row rules; good items are written, each bad one answered with its errors) and close
one (no seats left: it leaves browsing and takes no new applications; the applications made
stay as they are). A province-limited client writes only its provinces' courses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.api_clients import ClientIdentity, write_audit
from services.catalog_import import COLUMNS, RawRow, RowError, upsert_courses, validate_rows
from services.catalog_import.importer import OpeningsRecorder
from services.integration.errors import IntegrationNotFound
from services.text import normalize_digits, normalize_text
from storage.repositories.courses import CourseRepository

MAX_ITEMS = 500


@dataclass(frozen=True, slots=True)
class CourseItemResult:
    index: int  # the item's place in the request, from 0
    course_code: str | None
    outcome: str  # created | updated | unchanged | invalid
    errors: tuple[RowError, ...] = ()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


class IntegrationCourses:
    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        openings: OpeningsRecorder | None = None,
    ) -> None:
        self._sessions = session_factory
        # Tells people waiting for the courses an upsert adds or reopens (services.waitlists).
        self._openings = openings

    async def upsert(
        self, client: ClientIdentity, items: Sequence[Mapping[str, object]]
    ) -> list[CourseItemResult]:
        rows = [
            RawRow(index, {column: _cell(item.get(column)) for column in COLUMNS})
            for index, item in enumerate(items)
        ]
        inputs, errors = validate_rows(rows)
        by_index: dict[int, list[RowError]] = {}
        for error in errors:
            by_index.setdefault(error.line, []).append(error)
        codes = [normalize_digits(normalize_text(row.values["course_code"])) or None
                 for row in rows]
        good = []
        async with self._sessions() as session:
            existing = await CourseRepository(session).get_by_codes(
                item.course_code for item in inputs
            )
        index_of: dict[str, int] = {}
        for index, code in enumerate(codes):
            if code:
                index_of.setdefault(code, index)  # a repeated code is the later item's error
        for item in inputs:
            index = index_of[item.course_code]
            old = existing.get(item.course_code)
            where = [item.province] + ([old.province] if old is not None else [])
            if not all(client.can_see_province(p) for p in where):
                by_index.setdefault(index, []).append(
                    RowError(index, "province", "province.not_allowed", item.province)
                )
                continue
            good.append(item)
        outcomes = (
            await upsert_courses(self._sessions, good, openings=self._openings) if good else {}
        )
        if good:
            async with self._sessions() as session:
                await write_audit(
                    session, client, "courses.upsert",
                    f"{len(good)} courses: " + ",".join(i.course_code for i in good)[:90],
                )
                await session.commit()
        results = []
        for index, code in enumerate(codes):
            if index in by_index:
                results.append(
                    CourseItemResult(index, code, "invalid", tuple(by_index[index]))
                )
            else:
                results.append(CourseItemResult(index, code, outcomes[code or ""]))
        return results

    async def close(self, client: ClientIdentity, code: str) -> tuple[str, bool]:
        """(the course's code, whether it was open before)."""
        clean = normalize_digits(normalize_text(code))
        async with self._sessions() as session:
            course = await CourseRepository(session).get_by_code(clean)
            if course is None or not client.can_see_province(course.province):
                raise IntegrationNotFound(f"course {clean}")
            was_open = course.seats_taken < course.capacity
            course.seats_taken = course.capacity
            await write_audit(session, client, "course.close", f"course:{course.course_code}")
            await session.commit()
            return course.course_code, was_open
