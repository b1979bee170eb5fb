"""Waitlists: a person who met no open course leaves an entry in one tap; when an import adds or
reopens courses, the entries they match are recorded in the match-notice ledger in the import's
own transaction (set-based: storage.repositories.waitlists.matching), and the ledger's sweep
tells each person at most once a day (services/waitlists/policy.py). An entry stays until the
person removes it or applies to a course it matched."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Awaitable, Callable, Collection, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import false, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.catalog import (
    MAX_MONTHS,
    CourseFilter,
    CourseStatus,
    CourseSummary,
    add_months,
    summary_of,
)
from services.catalog_search import MAX_QUERY_CHARS, MAX_TERM_CHARS, query_terms
from services.catalog_synonyms import Synonyms, load_synonyms
from services.catalog_words import attach_endings, word_forms
from services.counseling.data import CounselingData
from services.match_notices import record_many
from services.provinces import PROVINCES
from services.waitlists.model import (
    COURSE_OPENING,
    JoinOutcome,
    JoinResult,
    WaitlistKind,
    WaitlistView,
)
from storage.models import Waitlist, utcnow
from storage.repositories.courses import CourseRepository
from storage.repositories.waitlists import WaitlistRepository, known_forms, matching

logger = logging.getLogger(__name__)

# Courses matched per statement: the import's batches are smaller; a caller with more is cut.
MATCH_CHUNK = 1000


def month_ends(today: dt.date) -> dict[int, dt.date]:
    """The last start day of «starts within N months», for every N a filter may hold."""
    return {months: add_months(today, months) for months in range(1, MAX_MONTHS + 1)}


def view_of(row: Waitlist) -> WaitlistView:
    created = row.created_at
    if created.tzinfo is None:  # SQLite hands timestamps back without a zone; they are UTC
        created = created.replace(tzinfo=dt.UTC)
    return WaitlistView(
        id=row.id, kind=WaitlistKind(row.kind), title=row.title or "", words=row.words,
        province=row.province, cluster=row.cluster, field_name=row.field_name,
        course_code=row.course_code, standard_code=row.standard_code,
        center_type=row.center_type, hamnava_only=row.hamnava_only,
        karafan_only=row.karafan_only, dormitory_only=row.dormitory_only,
        starts_within_months=row.starts_within_months, created_at=created,
    )


def _key(*parts: Any) -> str:
    """An entry's canonical form: equal entries of one person collide on (person_id, key)."""
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()


class WaitlistService:
    def __init__(
        self, session_factory: async_sessionmaker[AsyncSession], *, timezone: str,
        max_per_person: int, counseling: CounselingData | None = None,
        synonyms: Synonyms | None = None,
    ) -> None:
        self._sessions = session_factory
        self._zone = ZoneInfo(timezone)
        self.max_per_person = max_per_person
        self._counseling = counseling
        self._synonyms = synonyms if synonyms is not None else load_synonyms()

    def today(self, now: dt.datetime | None = None) -> dt.date:
        return (now or utcnow()).astimezone(self._zone).date()

    # -- joining ------------------------------------------------------------------------------

    def search_entry(self, flt: CourseFilter) -> tuple[dict[str, Any], list[tuple[int, str]]]:
        """The entry of a search (its words folded as course search folds them, each with its
        forms) and its waitlist_forms rows. A long query is cut as the search cuts it."""
        flt = CourseFilter.from_dict(flt.to_dict())
        words = attach_endings(query_terms(flt.query))
        forms = sorted({
            (index, form[:MAX_TERM_CHARS])
            for index, word in enumerate(words)
            for form in word_forms(word, self._synonyms.alternatives)
        })
        filters = (flt.province, flt.cluster, flt.center_type, flt.hamnava_only,
                   flt.karafan_only, flt.dormitory_only, flt.starts_within_months)
        row = {
            "kind": WaitlistKind.QUERY.value, "key": _key("q", words, *filters),
            "words": " ".join(words), "word_count": len(words),
            "title": " ".join(flt.query[:MAX_QUERY_CHARS].split()) or None,
            "province": flt.province, "cluster": flt.cluster, "center_type": flt.center_type,
            "hamnava_only": flt.hamnava_only, "karafan_only": flt.karafan_only,
            "dormitory_only": flt.dormitory_only,
            "starts_within_months": flt.starts_within_months,
        }
        return row, forms

    async def join_search(self, person_id: int, flt: CourseFilter) -> JoinResult:
        row, forms = self.search_entry(flt)
        if not row["word_count"] and CourseFilter.from_dict(flt.to_dict()).replace(
            query=""
        ) == CourseFilter():
            return JoinResult(JoinOutcome.NOTHING)  # "any course anywhere": not a wish
        return await self._join(person_id, row, forms, [])

    async def join_course(
        self, person_id: int, course_code: str, *, same_standard: bool
    ) -> JoinResult:
        """The same course code, or (same_standard) any course of its standard in its province."""
        async with self._sessions() as session:
            course = (await CourseRepository(session).get_by_codes([course_code])).get(
                course_code
            )
        if course is None:
            return JoinResult(JoinOutcome.NOTHING)
        common = {"title": course.title_fa, "cluster": course.cluster_fa,
                  "province": course.province, "standard_code": course.standard_code}
        if same_standard:
            row = {"kind": WaitlistKind.STANDARD.value,
                   "key": _key("s", course.standard_code, course.province), **common}
        else:
            row = {"kind": WaitlistKind.COURSE.value, "key": _key("c", course.course_code),
                   "course_code": course.course_code, **common}
        return await self._join(person_id, row, [], [])

    async def join_field(self, person_id: int, field_id: str, province: str | None) -> JoinResult:
        """A counseling field with nothing near home: its catalog fields in the home province
        and the neighbouring ones (every province for someone without a home province)."""
        field = self._counseling.field(field_id) if self._counseling is not None else None
        if field is None or not field.clusters:
            return JoinResult(JoinOutcome.NOTHING)
        if province is not None and self._counseling is not None:
            places = [province, *self._counseling.neighbours.get(province, ())]
        else:
            places = list(PROVINCES)
        name = field.name.fa
        row = {
            "kind": WaitlistKind.FIELD.value, "key": _key("f", field_id, province),
            "field_id": field_id, "field_name": name[:120], "title": name[:200],
            "province": province,
        }
        pairs = sorted({(str(cluster), place) for cluster in field.clusters for place in places})
        return await self._join(person_id, row, [], pairs)

    async def _join(
        self, person_id: int, row: dict[str, Any], forms: Sequence[tuple[int, str]],
        places: Sequence[tuple[str, str]],
    ) -> JoinResult:
        async with self._sessions() as session:
            repo = WaitlistRepository(session)
            existing = await repo.find(person_id, row["key"])
            if existing is not None:
                return JoinResult(JoinOutcome.ALREADY, view_of(existing), self.max_per_person)
            if await repo.count_for(person_id) >= self.max_per_person:
                return JoinResult(JoinOutcome.LIMIT, limit=self.max_per_person)
            try:
                waitlist_id = await repo.add(
                    {**row, "person_id": person_id, "created_at": utcnow()}, forms, places
                )
                await session.commit()
            except IntegrityError:  # the person is gone (a merged or deleted person)
                await session.rollback()
                return JoinResult(JoinOutcome.NOTHING)
            entry = await repo.find(person_id, row["key"])
        if entry is None:
            return JoinResult(JoinOutcome.NOTHING)
        if waitlist_id is None:  # a double tap that arrived at the same moment
            return JoinResult(JoinOutcome.ALREADY, view_of(entry), self.max_per_person)
        logger.info("person %s joined waitlist %s (%s)", person_id, waitlist_id, row["kind"])
        return JoinResult(JoinOutcome.JOINED, view_of(entry), self.max_per_person)

    # -- the person's list --------------------------------------------------------------------

    async def entries(self, person_id: int) -> list[WaitlistView]:
        async with self._sessions() as session:
            return [view_of(row) for row in await WaitlistRepository(session).of_person(person_id)]

    async def remove(self, person_id: int, waitlist_id: int) -> bool:
        """False when there is no such entry of this person (removed already, or not theirs)."""
        async with self._sessions() as session:
            removed = await WaitlistRepository(session).remove(person_id, [waitlist_id])
            await session.commit()
        return removed > 0

    async def open_courses(self, course_ids: Sequence[int]) -> list[CourseSummary]:
        """Of these courses, the ones still open today, soonest first (a notice's list: a
        course that filled up while the message waited is left out)."""
        today = self.today()
        async with self._sessions() as session:
            courses = await CourseRepository(session).get_by_ids(list(course_ids))
        found = [summary_of(course, today) for course in courses]
        return sorted(
            (course for course in found if course.status is CourseStatus.OPEN),
            key=lambda course: (course.start_date, course.code),
        )

    # -- courses added or reopened ------------------------------------------------------------

    async def record_openings(
        self, session: AsyncSession, course_ids: Collection[int], now: dt.datetime | None = None
    ) -> int:
        """In the caller's (the import's) transaction: every person an open course among
        `course_ids` matches is recorded in the ledger, once per course (a course told before,
        an import repeated, adds nothing). Returns how many notices are new."""
        return await record_openings(session, course_ids, self.today(now), now or utcnow())


async def record_openings(
    session: AsyncSession, course_ids: Collection[int], today: dt.date, now: dt.datetime
) -> int:
    """`WaitlistService.record_openings` without the service (the bench, the importer)."""
    ids = sorted(set(course_ids))
    recorded = 0
    ends = month_ends(today)
    for start in range(0, len(ids), MATCH_CHUNK):
        chunk = ids[start:start + MATCH_CHUNK]
        forms = await known_forms(session, chunk, today)
        pairs = matching(chunk, today, ends, forms=forms).subquery()
        rows = select(pairs.c[1], pairs.c[2], false())
        # Told at once (the ledger's sweep holds a second message that day for the next
        # day's digest hour: the policy is once a day).
        recorded += await record_many(
            session, kind=COURSE_OPENING, rows=rows, now=now, digest_at=now
        )
    return recorded




def openings_recorder(
    timezone: str,
) -> Callable[[AsyncSession, Collection[int]], Awaitable[int]]:
    """The import's hook for a caller without the services (the import command)."""
    zone = ZoneInfo(timezone)

    async def recorder(session: AsyncSession, course_ids: Collection[int]) -> int:
        now = utcnow()
        return await record_openings(session, course_ids, now.astimezone(zone).date(), now)

    return recorder


async def applied_to(
    session: AsyncSession, person_id: int, course_id: int, today: dt.date
) -> int:
    """In the caller's (the submission's) transaction: the person applied to this course, so
    their entries it matches are done and removed; returns how many."""
    repo = WaitlistRepository(session)
    pairs = await repo.pairs([course_id], today, month_ends(today), [person_id])
    return await repo.remove(person_id, {pair[0] for pair in pairs})
