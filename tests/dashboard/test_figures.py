"""Every figure of the overview and the tables equals what the known data set holds (SQLite,
and PostgreSQL when TEST_DATABASE_URL is set)."""

from __future__ import annotations

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.broadcasts import BroadcastService
from services.dashboard.figures import DashboardFigures
from services.dashboard.scope import ProvinceForbidden, Scope, scope_for
from services.dashboard.tables import DashboardTables
from services.programs import load_programs
from services.staff import StaffMember
from storage.models import Person
from tests.applications.conftest import (  # noqa: F401  (fixtures)
    database_url,
    migrated_sqlite_template,
)
from tests.dashboard.data import EXPECTED, ISFAHAN, TEHRAN, TODAY, build

PROGRAMS_DIR = __import__("pathlib").Path(__file__).resolve().parents[2] / "data" / "programs"


@pytest.mark.parametrize("province", [None, TEHRAN])
async def test_the_overview_counts_the_data_set(
    session_factory: async_sessionmaker[AsyncSession], province: str | None
) -> None:
    await build(session_factory)
    figures = DashboardFigures(session_factory, BroadcastService(session_factory),
                               timezone="Asia/Tehran")
    scope = Scope(frozenset({province}), province) if province else Scope(None)
    overview = await figures.overview(scope, today=TODAY)
    want = EXPECTED[province]
    assert overview.registrations == want["registrations"]
    assert {d: c for d, c in overview.registrations_by_day if c} == want["by_day"]
    assert len(overview.registrations_by_day) == 30
    assert overview.registrations_by_day[-1][0] == TODAY
    assert overview.registrations_by_messenger == want["messengers"]
    assert overview.applications_by_status == want["statuses"]
    assert overview.applications_by_program == want["programs"]
    assert overview.applications_by_province == want["provinces"]
    assert overview.applications == want["applications"]
    assert overview.in_queue == want["in_queue"]
    assert overview.decisions == want["decisions"]
    assert overview.decision_median_hours == pytest.approx(want["median_hours"], abs=1e-3)
    assert overview.decision_p90_hours == pytest.approx(want["p90_hours"], abs=1e-3)
    assert overview.documents_awaiting_review == want["documents"]
    assert overview.open_tickets == want["open_tickets"]
    assert overview.first_response_median_minutes == pytest.approx(want["first_response"],
                                                                   abs=1e-3)
    # Broadcasts are national: a province's overview does not show them.
    assert (overview.broadcasts is None) == (province is not None)


async def test_provinces_and_centres(session_factory: async_sessionmaker[AsyncSession]) -> None:
    await build(session_factory)
    tables = DashboardTables(session_factory, load_programs(PROGRAMS_DIR))
    rows = {row.province: row for row in await tables.provinces(Scope(None))}
    assert (rows[TEHRAN].registered, rows[TEHRAN].applications, rows[TEHRAN].in_queue,
            rows[TEHRAN].approved, rows[TEHRAN].rejected, rows[TEHRAN].open_tickets) == (
        3, 3, 1, 1, 1, 2)
    assert rows[TEHRAN].approval_percent == 50.0
    assert (rows[ISFAHAN].registered, rows[ISFAHAN].applications, rows[ISFAHAN].in_queue,
            rows[ISFAHAN].approved, rows[ISFAHAN].rejected, rows[ISFAHAN].open_tickets) == (
        2, 2, 1, 1, 0, 0)

    centres = {row.centre: row for row in await tables.centres(Scope(None))}
    # Tehran's centre: one approved trainee, whose papers are not all accepted.
    assert (centres["مرکز الف"].approved, centres["مرکز الف"].enrolled,
            centres["مرکز الف"].incomplete) == (1, 0, 1)
    # Isfahan's: one enrolled trainee with every mandatory paper accepted.
    assert (centres["آموزشگاه ب"].approved, centres["آموزشگاه ب"].enrolled,
            centres["آموزشگاه ب"].incomplete) == (0, 1, 0)
    files = await tables.centre_files(Scope(None), "مرکز الف", TEHRAN, incomplete_only=True)
    assert [f.missing for f in files] == [
        ("national_card", "birth_certificate", "education_certificate", "photo")
    ]
    assert await tables.centre_files(Scope(None), "آموزشگاه ب", ISFAHAN,
                                     incomplete_only=True) == []
    # A Tehran caseworker's scope sees no Isfahan centre.
    assert [r.centre for r in await tables.centres(Scope(frozenset({TEHRAN})))] == ["مرکز الف"]

    total, queue = await tables.queue(Scope(frozenset({ISFAHAN})))
    assert total == 1 and [row.status for row in queue] == ["under_review"]


def test_a_caseworker_cannot_widen_the_scope() -> None:
    caseworker = StaffMember("telegram", 5, False, True, frozenset({TEHRAN}))
    assert scope_for(caseworker, None).provinces == frozenset({TEHRAN})
    assert scope_for(caseworker, TEHRAN).chosen == TEHRAN
    with pytest.raises(ProvinceForbidden):
        scope_for(caseworker, ISFAHAN)
    admin = StaffMember("telegram", 6, True, False, None)
    assert scope_for(admin, ISFAHAN).provinces == frozenset({ISFAHAN})
    assert scope_for(admin, None).provinces is None


async def test_a_relief_client_also_needs_the_relief_letter(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    await build(session_factory)
    async with session_factory() as session:
        await session.execute(
            update(Person).where(Person.province == ISFAHAN).values(relief_client=True)
        )
        await session.commit()
    tables = DashboardTables(session_factory, load_programs(PROGRAMS_DIR))
    centres = {row.centre: row for row in await tables.centres(Scope(None))}
    assert centres["آموزشگاه ب"].incomplete == 1
    files = await tables.centre_files(Scope(None), "آموزشگاه ب", ISFAHAN, incomplete_only=True)
    assert [f.missing for f in files] == [("relief_letter",)]
