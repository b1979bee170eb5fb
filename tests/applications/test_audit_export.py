"""`python -m bot audit export`: who opened which document when, for the data-protection
officer; the day filter (Gregorian or Jalali, Tehran's midnight) and formula safety."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.__main__ import main
from services.applications import ApplicationService
from storage.models import DocumentAccess
from tests.applications.conftest import submitted
from tests.applications.helpers import admin, caseworker
from tests.conftest import in_fresh_thread

TEHRAN = caseworker("تهران")
UTC = dt.UTC


@pytest.fixture
def cli_env(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("TIMEZONE", "Asia/Tehran")


def _rows(path: Path) -> list[dict[str, str]]:
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


async def _opened_three_times(
    service: ApplicationService, sessions: async_sessionmaker[AsyncSession]
) -> str:
    """Openings at 2026-11-21 20:29:59Z, 20:30:00Z (Tehran's midnight of 1 Azar 1405) and a day
    later; returns the tracking code."""
    ready, result = await submitted(service, sessions)
    view = await service.get_for_person(ready.app_id, ready.person_id)
    assert view is not None and result.tracking_code is not None
    [card] = view.documents_of("national_card")
    [photo] = view.documents_of("photo")
    await service.open_document(card.id, TEHRAN)
    await service.open_document(card.id, admin())
    await service.open_document(photo.id, TEHRAN)
    times = [
        dt.datetime(2026, 11, 21, 20, 29, 59, tzinfo=UTC),
        dt.datetime(2026, 11, 21, 20, 30, 0, tzinfo=UTC),
        dt.datetime(2026, 11, 22, 21, 0, 0, tzinfo=UTC),
    ]
    async with sessions() as session:
        for access_id, at in enumerate(times, start=1):
            await session.execute(
                update(DocumentAccess).where(DocumentAccess.id == access_id).values(at=at)
            )
        await session.commit()
    return result.tracking_code


@pytest.mark.parametrize("since", ["2026-11-22", "1405/09/01", "۱۴۰۵/۰۹/۰۱"])
async def test_openings_since_a_day_in_tehran(
    service: ApplicationService,
    session_factory: async_sessionmaker[AsyncSession],
    cli_env: None,
    tmp_path: Path,
    since: str,
) -> None:
    code = await _opened_three_times(service, session_factory)
    out = tmp_path / "audit.csv"
    assert in_fresh_thread(main, ["audit", "export", "--since", since, "--output", str(out)]) == 0
    rows = _rows(out)
    assert [list(row.values()) for row in rows] == [
        ["bale", "900", code, "national_card", "2026-11-21T20:30:00+00:00",
         "1405/09/01 00:00:00"],
        ["telegram", "501", code, "photo", "2026-11-22T21:00:00+00:00", "1405/09/02 00:30:00"],
    ]
    assert list(rows[0]) == [
        "staff_platform", "staff_user_id", "tracking_code", "document_kind", "opened_at_utc",
        "opened_at_jalali",
    ]


async def test_formula_like_cells_are_text_and_bad_days_refused(
    service: ApplicationService,
    session_factory: async_sessionmaker[AsyncSession],
    cli_env: None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    await _opened_three_times(service, session_factory)
    async with session_factory() as session:
        await session.execute(update(DocumentAccess).values(staff_platform="=1+cmd|'/C'!A0"))
        await session.commit()
    out = tmp_path / "audit.csv"
    assert in_fresh_thread(
        main, ["audit", "export", "--since", "2020-01-01", "--output", str(out)]
    ) == 0
    rows = _rows(out)
    assert len(rows) == 3
    assert {row["staff_platform"] for row in rows} == {"'=1+cmd|'/C'!A0"}
    assert "wrote 3 document openings" in capsys.readouterr().err

    assert in_fresh_thread(main, ["audit", "export", "--since", "yesterday"]) == 2
    assert "--since 'yesterday'" in capsys.readouterr().err
