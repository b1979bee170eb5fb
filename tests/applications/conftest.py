"""An ApplicationService on the test database, the shipped program files and a temp store."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.applications import ApplicationService, DocumentOutcome, SubmitResult
from services.programs import ProgramRegistry, load_programs
from storage.documents import LocalDocumentStore
from storage.migrate import upgrade_database
from tests.applications.helpers import TODAY, add_course, add_person, jpeg, pdf
from tests.conftest import _empty_postgres, in_fresh_thread, run_async

PROGRAMS_DIR = Path(__file__).resolve().parents[2] / "data" / "programs"


@pytest.fixture(scope="session")
def migrated_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    in_fresh_thread(upgrade_database, f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture
def database_url(database_kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """As the suite's fixture, but SQLite starts from a copy of one migrated file (migrating
    per test costs about a second; these tests make hundreds of databases)."""
    if database_kind == "sqlite":
        template: Path = request.getfixturevalue("migrated_sqlite_template")
        path = tmp_path / "test.db"
        shutil.copyfile(template, path)
        return f"sqlite+aiosqlite:///{path}"
    url = str(request.getfixturevalue("migrated_postgres_url"))
    run_async(_empty_postgres(url))
    return url


@pytest.fixture(scope="session")
def registry() -> ProgramRegistry:
    return load_programs(PROGRAMS_DIR)


@pytest.fixture
def store(tmp_path: Path) -> LocalDocumentStore:
    return LocalDocumentStore(tmp_path / "documents")


@pytest.fixture
def service(
    session_factory: async_sessionmaker[AsyncSession],
    registry: ProgramRegistry,
    store: LocalDocumentStore,
) -> ApplicationService:
    return ApplicationService(session_factory, registry, store)


HAMNAVA_ANSWERS = {"employment": "unemployed", "household_size": "۴", "needs_dormitory": "خیر"}
HAMNAVA_MANDATORY = ("national_card", "birth_certificate", "education_certificate", "photo")


@dataclass
class Ready:
    """A registered person with a complete Hamnava draft for course H100."""

    person_id: int
    app_id: int


async def fill_hamnava(service: ApplicationService, person_id: int, app_id: int) -> None:
    for question, raw in HAMNAVA_ANSWERS.items():
        assert await service.set_answer(app_id, person_id, question, raw, today=TODAY) is None
    for n, kind in enumerate(HAMNAVA_MANDATORY):
        data = jpeg(n) if kind == "photo" else pdf(n)
        assert await service.add_document(app_id, person_id, kind, data) is DocumentOutcome.ACCEPTED


async def ready_draft(
    service: ApplicationService,
    sessions: async_sessionmaker[AsyncSession],
    course: str = "H100",
    **person: Any,
) -> Ready:
    if not await _course_exists(sessions, course):
        await add_course(sessions, course)
    person_id = await add_person(sessions, **person)
    started = await service.start_or_resume(person_id, "hamnava", course, today=TODAY)
    assert started.view is not None, started
    await fill_hamnava(service, person_id, started.view.id)
    return Ready(person_id, started.view.id)


async def submitted(
    service: ApplicationService, sessions: async_sessionmaker[AsyncSession], **person: Any
) -> tuple[Ready, SubmitResult]:
    ready = await ready_draft(service, sessions, **person)
    result = await service.submit(ready.app_id, ready.person_id, today=TODAY)
    assert result.tracking_code is not None, result
    return ready, result


async def _course_exists(sessions: async_sessionmaker[AsyncSession], code: str) -> bool:
    from storage.repositories.applications import ApplicationCourseRepository

    async with sessions() as session:
        return await ApplicationCourseRepository(session).by_code(code) is not None
