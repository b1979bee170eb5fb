"""Writing the catalog: upsert by course_code, one transaction, batched for large files."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.catalog_import.files import describe_error, read_rows
from services.catalog_import.rows import CourseInput, RowError, validate_rows
from services.catalog_search import course_terms
from storage.models import Course
from storage.repositories.courses import CourseRepository

BATCH_SIZE = 500

# The columns a course's search terms are made of (course_terms also keeps the province).
TERM_SOURCES = ("title_fa", "title_en", "cluster_fa", "center_name", "province")


@dataclass
class ImportReport:
    total_rows: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    invalid_rows: int = 0
    written: bool = False
    errors: list[RowError] = field(default_factory=list)
    # Notices recorded for people waiting for the courses this import added or reopened
    # (services/waitlists), in the import's transaction.
    waitlist_notices: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


# Given the import's session and the ids of the courses it added or changed, records who is
# waiting for them (services.waitlists); what it returns is counted in the report.
OpeningsRecorder = Callable[[AsyncSession, Collection[int]], Awaitable[int]]


class CatalogImporter(Protocol):
    """`import_courses` with the database bound (services.container)."""

    def __call__(self, path: str | Path, *, skip_invalid: bool = ...) -> Awaitable[ImportReport]:
        ...


async def import_courses(
    session_factory: async_sessionmaker[AsyncSession],
    path: str | Path,
    *,
    skip_invalid: bool = False,
    progress: Callable[[int, int], None] | None = None,
    openings: OpeningsRecorder | None = None,
) -> ImportReport:
    """Validate the whole file, then upsert by course_code in one transaction.

    Raises ImportFileError for an unusable file. Row problems come back in the report; unless
    `skip_invalid`, any row problem means nothing is written.
    """
    # Parsing 100k rows takes seconds: keep the bots' event loop answering meanwhile.
    rows = await asyncio.to_thread(read_rows, path)
    inputs, errors = await asyncio.to_thread(validate_rows, rows)
    report = ImportReport(
        total_rows=len(rows),
        invalid_rows=len({error.line for error in errors}),
        errors=errors,
    )
    if errors and not skip_invalid:
        return report
    async with session_factory() as session:
        repo = CourseRepository(session)
        async with repo.bulk_load():
            for start in range(0, len(inputs), BATCH_SIZE):
                batch = inputs[start : start + BATCH_SIZE]
                touched = await _write_batch(repo, batch, report)
                if openings is not None and touched:
                    # Same transaction: the courses and the notices they cause commit together.
                    report.waitlist_notices += await openings(session, touched)
                # Flushed rows need not stay in memory until commit; keeps 100k imports flat.
                session.expunge_all()
                if progress is not None:
                    progress(start + len(batch), len(inputs))
        await session.commit()
    report.written = True
    return report


async def _write_batch(
    repo: CourseRepository, batch: list[CourseInput], report: ImportReport
) -> list[int]:
    """Writes the batch; returns the ids of the courses added or changed (a course whose
    seats, dates or words changed may have opened for someone waiting)."""
    existing = await repo.get_by_codes(item.course_code for item in batch)
    new_rows: list[dict[str, Any]] = []
    # Courses whose title, field, center or province changed get their terms rewritten.
    retermed: dict[int, dict[str, Any]] = {}
    touched: list[int] = []
    for item in batch:
        course = existing.get(item.course_code)
        updated_before = report.updated
        outcome = _apply(course, item, report)
        if course is not None and report.updated > updated_before:
            touched.append(course.id)
        if isinstance(outcome, dict):
            new_rows.append(outcome)
        elif outcome and course is not None:
            retermed[course.id] = item.model_fields()
    new_ids = await repo.insert_many(new_rows)
    await repo.flush()
    await repo.delete_terms(retermed)
    retermed.update((new_ids[row["course_code"]], row) for row in new_rows)
    await repo.insert_terms(
        [term for course_id, row in retermed.items() for term in term_rows(course_id, row)]
    )
    return touched + list(new_ids.values())


def term_rows(course_id: int, fields: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The course_terms rows of one course, from its column values."""
    terms = course_terms(
        fields["title_fa"], fields["title_en"], fields["cluster_fa"], fields["center_name"]
    )
    province = fields["province"]
    return [{"course_id": course_id, "term": term, "province": province} for term in terms]


def _apply(course: Course | None, item: CourseInput, report: ImportReport) -> dict[str, Any] | bool:
    """Update an existing course in place and tell whether its search terms must be rewritten;
    for a new course return the row to insert."""
    fields = item.model_fields()
    if course is None:
        report.created += 1
        return fields
    # Only real changes are assigned, so an identical re-import leaves updated_at alone.
    changed = {name: value for name, value in fields.items() if getattr(course, name) != value}
    for name, value in changed.items():
        setattr(course, name, value)
    if changed:
        report.updated += 1
    else:
        report.unchanged += 1
    return any(name in changed for name in TERM_SOURCES)


async def seed_sample_catalog_if_empty(
    session_factory: async_sessionmaker[AsyncSession], path: str | Path
) -> int:
    """Import the shipped sample catalog into an empty database; returns courses created."""
    async with session_factory() as session:
        if await CourseRepository(session).count() > 0:
            return 0
    try:
        report = await import_courses(session_factory, path)
    except IntegrityError:
        return 0  # another worker seeded it between our count and our commit
    if not report.ok:
        first = report.errors[0]
        raise ValueError(
            f"sample catalog {path} is invalid: line {first.line} {first.column}: "
            f"{describe_error(first.reason_code)} ({len(report.errors)} errors)"
        )
    return report.created


async def upsert_courses(
    session_factory: async_sessionmaker[AsyncSession],
    inputs: list[CourseInput],
    *,
    openings: OpeningsRecorder | None = None,
) -> dict[str, str]:
    """Write validated courses (the HTTP API's upsert) in one transaction, the way an import
    writes them (people waiting for the courses it adds or reopens are told, like an import's);
    returns "created", "updated" or "unchanged" per course_code."""
    outcomes: dict[str, str] = {}
    async with session_factory() as session:
        repo = CourseRepository(session)
        existing = await repo.get_by_codes(item.course_code for item in inputs)
        for item in inputs:
            course = existing.get(item.course_code)
            if course is None:
                outcomes[item.course_code] = "created"
                continue
            same = all(
                getattr(course, name) == value for name, value in item.model_fields().items()
            )
            outcomes[item.course_code] = "unchanged" if same else "updated"
        for start in range(0, len(inputs), BATCH_SIZE):
            touched = await _write_batch(repo, inputs[start : start + BATCH_SIZE], ImportReport(0))
            if openings is not None and touched:
                await openings(session, touched)  # same transaction as the courses
        await session.commit()
    return outcomes
