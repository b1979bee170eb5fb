"""Career counseling: score a finished questionnaire, keep the result, find matching courses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.catalog import CatalogService, CourseFilter, CourseSummary
from services.counseling.data import CounselingData
from services.counseling.progress import (
    AnswerProblem,
    AnswerRejectedError,
    Progress,
    is_complete,
    start,
)
from services.counseling.scoring import top_fields
from services.provinces import canonical_province
from storage.models import CounselingResult
from storage.repositories.counseling import CounselingRepository
from storage.repositories.persons import PersonRepository

COURSES_PER_FIELD = 2


@dataclass(frozen=True, slots=True)
class FieldOutcome:
    field_id: str
    score: float
    # (question id, option id) pairs: the answers that counted most, best first.
    reasons: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class SavedResult:
    id: int
    questionnaire_version: str
    answers: dict[str, str]
    fields: tuple[FieldOutcome, ...]
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class FieldCourses:
    field_id: str
    # Open courses teaching the field: the person's province first, then neighbours, then any.
    courses: tuple[CourseSummary, ...]
    # Near home was asked for and none is near: these are the nearest ones further away.
    far: bool = False


class CounselingService:
    def __init__(
        self, session_factory: async_sessionmaker[AsyncSession], data: CounselingData
    ) -> None:
        self.session_factory = session_factory
        self.data = data

    async def home_province(self, person_id: int) -> str | None:
        async with self.session_factory() as session:
            person = await PersonRepository(session).get(person_id)
        if person is None or not person.province:
            return None
        return canonical_province(person.province)

    async def profile_education(self, person_id: int) -> str | None:
        """The education level registration stored: the questionnaire does not ask it again."""
        async with self.session_factory() as session:
            person = await PersonRepository(session).get(person_id)
        return person.education if person is not None else None

    async def start(self, person_id: int) -> Progress:
        return start(self.data, await self.profile_education(person_id))

    async def finish(self, person_id: int, progress: Progress) -> SavedResult:
        """Score a completed questionnaire and store the result (a new row: retakes keep history).

        Raises AnswerRejectedError(OUTDATED) when the answers are incomplete or belong to another
        questionnaire version; nothing is stored then."""
        if not is_complete(self.data, progress):
            raise AnswerRejectedError(AnswerProblem.OUTDATED)
        province = await self.home_province(person_id)
        given = progress.all_answers
        answers = {q.id: given[q.id] for q in self.data.questions}
        best = top_fields(self.data, answers, province)
        async with self.session_factory() as session:
            row = await CounselingRepository(session).add(
                person_id=person_id,
                questionnaire_version=self.data.version,
                answers=answers,
                top_fields=[
                    {
                        "field": item.field_id,
                        "score": float(item.score),
                        "reasons": [list(reason) for reason in item.reasons],
                    }
                    for item in best
                ],
            )
            await session.commit()
            return _saved(row)

    async def latest(self, person_id: int) -> SavedResult | None:
        async with self.session_factory() as session:
            row = await CounselingRepository(session).latest(person_id)
            return _saved(row) if row is not None else None

    def is_current_version(self, result: SavedResult) -> bool:
        return result.questionnaire_version == self.data.version

    async def suggest_courses(
        self,
        catalog: CatalogService,
        field_ids: list[str],
        province: str | None,
        today: dt.date,
        per_field: int = COURSES_PER_FIELD,
        *,
        near_home: bool = False,
    ) -> list[FieldCourses]:
        """Up to `per_field` open courses per field, nearest first: the person's province, then
        its neighbours (data/province_neighbors.json order), then anywhere. A course appears
        under one field only. With `near_home` (the person cannot travel) only the province
        and its neighbours count; a field with none there gets the nearest further away,
        neighbours of neighbours first, marked `far` so the screen says so."""
        near: list[str | None] = []
        if province is not None:
            near = [province, *self.data.neighbours.get(province, ())]
        taken: set[str] = set()
        suggestions = []
        for field_id in field_ids:
            field = self.data.field(field_id)
            clusters = field.clusters if field is not None else []
            chosen: list[CourseSummary] = []
            far = False
            places = [*near, None]
            if near_home and province is not None:
                await self._fill(catalog, clusters, near, today, per_field, taken, chosen)
                far = not chosen
                places = [*self._rings_beyond(near), None] if far else []
            await self._fill(catalog, clusters, places, today, per_field, taken, chosen)
            suggestions.append(FieldCourses(field_id, tuple(chosen), far and bool(chosen)))
        return suggestions

    def _rings_beyond(self, near: list[str | None]) -> list[str]:
        """Provinces further out by the neighbour map: neighbours of neighbours, and so on."""
        seen = {p for p in near if p}
        ring = [p for p in near[1:] if p]
        out: list[str] = []
        while ring:
            following = []
            for place in ring:
                for neighbour in self.data.neighbours.get(place, ()):
                    if neighbour not in seen:
                        seen.add(neighbour)
                        following.append(neighbour)
            out += following
            ring = following
        return out

    async def _fill(
        self,
        catalog: CatalogService,
        clusters: list[str],
        places: list[str | None],
        today: dt.date,
        per_field: int,
        taken: set[str],
        chosen: list[CourseSummary],
    ) -> None:
        for place in places:
            if len(chosen) >= per_field or not clusters:
                break
            found: list[CourseSummary] = []
            for cluster in clusters:
                page = await catalog.list_page(
                    CourseFilter(province=place, cluster=cluster), 0, today
                )
                found += [c for c in page.items if c.code not in taken]
            # Several clusters in one place: soonest start first, as the catalog lists them.
            for course in sorted(found, key=lambda c: (c.start_date, c.code)):
                if len(chosen) < per_field and course.code not in taken:
                    chosen.append(course)
                    taken.add(course.code)


def _saved(row: CounselingResult) -> SavedResult:
    answers = row.answers if isinstance(row.answers, dict) else {}
    created = row.created_at
    if created.tzinfo is None:  # SQLite hands timestamps back without a zone; they are UTC
        created = created.replace(tzinfo=dt.UTC)
    return SavedResult(
        id=row.id,
        questionnaire_version=row.questionnaire_version,
        answers={str(k): str(v) for k, v in answers.items()},
        fields=tuple(_outcomes(row.top_fields)),
        created_at=created,
    )


def _outcomes(raw: Any) -> list[FieldOutcome]:
    # Tolerant: a stored row is history; a damaged entry is skipped rather than breaking the screen.
    outcomes = []
    for item in raw if isinstance(raw, list) else []:
        if not isinstance(item, dict) or not isinstance(item.get("field"), str):
            continue
        score = item.get("score")
        reasons = tuple(
            (str(r[0]), str(r[1]))
            for r in item.get("reasons") or []
            if isinstance(r, list | tuple) and len(r) == 2
        )
        outcomes.append(FieldOutcome(
            item["field"], float(score) if isinstance(score, int | float) else 0.0, reasons
        ))
    return outcomes
