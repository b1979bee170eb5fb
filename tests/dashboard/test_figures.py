"""Every figure of the overview and the tables equals what the known data set holds (SQLite,
and PostgreSQL when TEST_DATABASE_URL is set)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.broadcasts import BroadcastService
from services.dashboard.exams import NO_CERTIFICATE, NO_EXAM_RESULT
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
    exams, want_exams = overview.exams, want["exams"]
    assert (exams.sessions_held, exams.invited, exams.will_attend, exams.attended) == (
        want_exams["sessions_held"], want_exams["invited"], want_exams["will_attend"],
        want_exams["attended"])
    assert (exams.written.examined, exams.written.passed) == want_exams["written"]
    assert (exams.practical.examined, exams.practical.passed) == want_exams["practical"]
    assert (exams.examined, exams.passed, exams.failed, exams.certificates) == (
        want_exams["examined"], want_exams["passed"], want_exams["failed"],
        want_exams["certificates"])
    written, practical = want_exams["written"], want_exams["practical"]
    assert exams.written.pass_percent == pytest.approx(100 * written[1] / written[0])
    assert exams.practical.pass_percent == pytest.approx(100 * practical[1] / practical[0])
    assert exams.practical.failed == practical[0] - practical[1]


async def test_exam_figures_follow_the_window(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    """Seen from 200 days later nothing was held recently; from the day before the data set's
    day, the sessions of that day's future (E5 in 3 days) are still not held."""
    await build(session_factory)
    figures = DashboardFigures(session_factory, BroadcastService(session_factory),
                               timezone="Asia/Tehran")
    later = await figures.overview(Scope(None), today=TODAY + dt.timedelta(days=200))
    assert (later.exams.sessions_held, later.exams.invited, later.exams.examined,
            later.exams.certificates) == (0, 0, 0, 0)
    assert later.exams.pass_percent is None
    # 11 days before TODAY: E1 and E6 lie ahead, E4 (109 days back) is out of the window.
    earlier = await figures.overview(Scope(None), today=TODAY - dt.timedelta(days=11))
    assert earlier.exams.sessions_held == 0
    # 40 days before TODAY: E4 (80 days back) is in the window, told to C1's three trainees.
    old = await figures.overview(Scope(None), today=TODAY - dt.timedelta(days=40))
    assert (old.exams.sessions_held, old.exams.invited, old.exams.attended) == (1, 3, 0)
    between = await figures.overview(Scope(None), today=TODAY - dt.timedelta(days=6))
    # E1 (10 days before TODAY) and E6 (7 days before) are held by then; E2 (5 days) is not.
    assert between.exams.sessions_held == 2
    assert (between.exams.written.examined, between.exams.practical.examined) == (3, 0)
    # The certificate was issued 4 days before TODAY: after that day.
    assert between.exams.certificates == 0


async def test_provinces_and_centres(session_factory: async_sessionmaker[AsyncSession]) -> None:
    await build(session_factory)
    tables = DashboardTables(session_factory, load_programs(PROGRAMS_DIR))
    rows = {row.province: row for row in await tables.provinces(Scope(None))}
    assert (rows[TEHRAN].registered, rows[TEHRAN].applications, rows[TEHRAN].in_queue,
            rows[TEHRAN].approved, rows[TEHRAN].rejected, rows[TEHRAN].open_tickets) == (
        6, 6, 1, 4, 1, 2)
    assert rows[TEHRAN].approval_percent == 80.0
    assert (rows[ISFAHAN].registered, rows[ISFAHAN].applications, rows[ISFAHAN].in_queue,
            rows[ISFAHAN].approved, rows[ISFAHAN].rejected, rows[ISFAHAN].open_tickets) == (
        2, 2, 1, 1, 0, 0)

    centres = {row.centre: row for row in await tables.centres(Scope(None))}
    tehran, isfahan = centres["مرکز الف"], centres["آموزشگاه ب"]
    # Tehran's centre: P0 approved (papers not all accepted); P7, P8 enrolled; P6 finished
    # with a certificate; P6 and P7 were present at an exam and have results. Incomplete:
    # P0 (papers), P7 (no certificate), P8 (no result, no certificate).
    assert (tehran.approved, tehran.enrolled, tehran.attended, tehran.exam_attended,
            tehran.examined, tehran.certified, tehran.incomplete) == (1, 2, 1, 2, 2, 1, 3)
    # Isfahan's: one enrolled trainee with every paper accepted, examined (failed), present,
    # no certificate: incomplete for the certificate alone.
    assert (isfahan.approved, isfahan.enrolled, isfahan.attended, isfahan.exam_attended,
            isfahan.examined, isfahan.certified, isfahan.incomplete) == (0, 1, 0, 1, 1, 0, 1)
    files = await tables.centre_files(Scope(None), "مرکز الف", TEHRAN, incomplete_only=True)
    assert [(f.tracking_code, f.missing) for f in files] == [
        ("HMN-1405-000008", (NO_CERTIFICATE,)),
        ("HMN-1405-000009", (NO_EXAM_RESULT, NO_CERTIFICATE)),
        ("HMN-1405-000001",
         ("national_card", "birth_certificate", "education_certificate", "photo")),
    ]
    everyone = await tables.centre_files(Scope(None), "مرکز الف", TEHRAN, incomplete_only=False)
    assert [f.missing for f in everyone if f.tracking_code == "HMN-1405-000007"] == [()]
    assert [f.missing for f in await tables.centre_files(
        Scope(None), "آموزشگاه ب", ISFAHAN, incomplete_only=True)] == [(NO_CERTIFICATE,)]
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
    assert [f.missing for f in files] == [("relief_letter", NO_CERTIFICATE)]
