"""Courses people bookmarked. Repositories query/add/flush; the calling service commits."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import dialect_insert
from storage.models import Course, SavedCourse


class SavedCourseRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def save(self, person_id: int, course_id: int) -> None:
        """Idempotent: saving twice (or from two chats at once) keeps one row, the first date."""
        statement = dialect_insert(self.session, SavedCourse).values(
            person_id=person_id, course_id=course_id
        )
        await self.session.execute(statement.on_conflict_do_nothing())

    async def unsave(self, person_id: int, course_id: int) -> None:
        await self.session.execute(
            delete(SavedCourse).where(
                SavedCourse.person_id == person_id, SavedCourse.course_id == course_id
            )
        )

    async def is_saved(self, person_id: int, course_code: str) -> bool:
        query = (
            select(SavedCourse.course_id)
            .join(Course, Course.id == SavedCourse.course_id)
            .where(SavedCourse.person_id == person_id, Course.course_code == course_code)
        )
        return await self.session.scalar(query) is not None

    async def courses_of(self, person_id: int) -> list[Course]:
        """Saved courses, newest saved first."""
        query = (
            select(Course)
            .join(SavedCourse, SavedCourse.course_id == Course.id)
            .where(SavedCourse.person_id == person_id)
            .order_by(SavedCourse.created_at.desc(), Course.id.desc())
        )
        return list(await self.session.scalars(query))
