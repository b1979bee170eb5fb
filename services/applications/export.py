"""Applications as a table for the foundation's Hayat system: one row per application with the
applicant's profile, the answers (a column per question) and the state of each document kind.

The columns are stable names (ASCII, snake_case) so an import script on the other side can
rely on them; dates are given both Gregorian (ISO) and Jalali (YYYY/MM/DD)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.applications.results import CURRENT_DOCUMENT_STATES
from services.jalali import to_jalali_text
from services.programs import ProgramRegistry
from storage.models import Application, ApplicationDocument, Person
from storage.repositories.applications import ApplicationRepository

Cell = str | int | bool | None

BASE_COLUMNS = (
    "tracking_code",
    "program",
    "program_version",
    "status",
    "course_code",
    "submitted_at",
    "submitted_jalali",
    "updated_at",
    "reviewer",
    "national_code",
    "full_name",
    "phone",
    "phone_verified",
    "birth_date",
    "birth_date_jalali",
    "gender",
    "province",
    "city",
    "education",
    "relief_client",
    "relief_client_number",
    "decile",
)


@dataclass(frozen=True, slots=True)
class ExportTable:
    columns: list[str]
    rows: list[list[Cell]]


async def export_table(
    session_factory: async_sessionmaker[AsyncSession],
    registry: ProgramRegistry,
    *,
    statuses: Collection[str] | None,
    since: dt.datetime | None,
    timezone: dt.tzinfo,
    provinces: Collection[str] | None = None,
) -> ExportTable:
    """`statuses` None = every status; `since` = changed at or after (aware datetime);
    `provinces` None = every province (the dashboard passes the viewer's)."""
    async with session_factory() as session:
        repo = ApplicationRepository(session)
        pairs = await repo.for_export(statuses, since, provinces)
        documents = await repo.documents(
            [app.id for app, _ in pairs], [s.value for s in CURRENT_DOCUMENT_STATES]
        )
    questions = _unique(q.id for p in registry.all() for q in p.questions)
    kinds = _unique(d.kind for p in registry.all() for d in p.documents)
    columns = [
        *BASE_COLUMNS,
        *(f"answer_{q}" for q in questions),
        *(f"document_{k}" for k in kinds),
    ]
    by_app: dict[int, list[ApplicationDocument]] = {}
    for document in documents:
        by_app.setdefault(document.application_id, []).append(document)
    rows = [
        _row(app, person, by_app.get(app.id, []), questions, kinds, timezone)
        for app, person in pairs
    ]
    return ExportTable(columns, rows)


def _row(
    app: Application,
    person: Person,
    documents: Sequence[ApplicationDocument],
    questions: Sequence[str],
    kinds: Sequence[str],
    timezone: dt.tzinfo,
) -> list[Cell]:
    submitted = app.submitted_at.astimezone(timezone) if app.submitted_at else None
    base: list[Cell] = [
        app.tracking_code,
        app.program,
        app.program_version,
        app.status,
        app.course_code,
        submitted.isoformat(timespec="seconds") if submitted else None,
        to_jalali_text(submitted.date()) if submitted else None,
        app.updated_at.astimezone(timezone).isoformat(timespec="seconds"),
        app.reviewer,
        person.national_code,
        person.full_name,
        person.phone,
        person.phone_verified,
        person.birth_date.isoformat() if person.birth_date else None,
        to_jalali_text(person.birth_date) if person.birth_date else None,
        person.gender,
        person.province,
        person.city,
        person.education,
        person.relief_client,
        _client_number(person.relief_client, person.relief_client_number),
        person.decile,
    ]
    answers: dict[str, Any] = app.answers or {}
    base.extend(_answer(answers.get(q)) for q in questions)
    base.extend(_document_states(documents, kind) for kind in kinds)
    return base


# A registered client without a number answered «I don't know»: said plainly, not left blank.
CLIENT_NUMBER_UNKNOWN = "unknown"


def _client_number(client: bool | None, number: str | None) -> str | None:
    return CLIENT_NUMBER_UNKNOWN if client and not number else number


def _answer(value: Any) -> Cell:
    if value is None or isinstance(value, (str, int, bool)):
        return value
    return str(value)


def _document_states(documents: Sequence[ApplicationDocument], kind: str) -> str | None:
    """"accepted", or "accepted+received" for two files in different states; None = nothing."""
    states = sorted({d.state for d in documents if d.kind == kind})
    return "+".join(states) if states else None


def _unique(items: Any) -> list[str]:
    return list(dict.fromkeys(items))
