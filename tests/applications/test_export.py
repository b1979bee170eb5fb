"""`python -m bot export-applications`: CSV and XLSX contents, filters, formula safety."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.__main__ import main
from bot.cli.export_applications import ExportArgumentError, parse_since, parse_statuses
from services.applications import ApplicationService
from storage.models import Application
from tests.applications.conftest import PROGRAMS_DIR, fill_hamnava, ready_draft, submitted
from tests.applications.helpers import TODAY, add_course, add_person, caseworker, pdf


@pytest.fixture
def cli_env(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("PROGRAMS_DIR", str(PROGRAMS_DIR))
    monkeypatch.setenv("TIMEZONE", "Asia/Tehran")


def _csv(path: Path) -> list[dict[str, str]]:
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


async def test_csv(
    service: ApplicationService,
    session_factory: async_sessionmaker[AsyncSession],
    cli_env: None,
    tmp_path: Path,
) -> None:
    await _three_applications(service, session_factory)
    out = tmp_path / "out.csv"
    assert await _main(["export-applications", "--format", "csv", "--output", str(out)]) == 0
    rows = _csv(out)
    assert [r["tracking_code"] for r in rows] == ["HMN-1405-000001", "HMN-1405-000002"]  # no draft
    one, two = rows
    assert one["national_code"] == "0012345679"
    assert one["full_name"] == "'=HYPERLINK(\"x\")"  # never a formula
    assert (one["relief_client"], one["relief_client_number"], one["decile"]) == (
        "True", "123456", ""
    )
    assert (one["status"], two["status"]) == ("submitted", "under_review")
    assert (two["province"], two["city"]) == ("اصفهان", "کاشان")
    assert two["reviewer"] == "telegram:501"
    assert one["birth_date"] == "1995-05-01" and one["birth_date_jalali"] == "1374/02/11"
    assert one["submitted_jalali"].startswith("14")
    assert one["answer_household_size"] == "4" and one["answer_needs_dormitory"] == "False"
    assert one["answer_employment"] == "unemployed"
    assert one["document_national_card"] == "received"
    assert one["document_relief_letter"] == "received"
    assert two["document_relief_letter"] == ""
    assert "answer_path" in one  # Karafan's questions have columns too
    # Filters: statuses (comma or repeated), all (with drafts).
    assert await _main(["export-applications", "--status", "under_review", "--output",
                        str(out)]) == 0
    assert [r["province"] for r in _csv(out)] == ["اصفهان"]
    assert await _main(["export-applications", "--status", "all", "--output", str(out)]) == 0
    assert [r["status"] for r in _csv(out)] == ["submitted", "under_review", "draft"]


async def _three_applications(
    service: ApplicationService, sessions: async_sessionmaker[AsyncSession]
) -> tuple[int, int, int]:
    """A Relief client's (submitted), an Isfahan one (under review) and a draft."""
    await add_course(sessions, "H100")
    person = await add_person(
        sessions, national_code="0012345679", full_name='=HYPERLINK("x")', relief_client=True,
        relief_client_number="123456", decile=None,
    )
    started = await service.start_or_resume(person, "hamnava", "H100", today=TODAY)
    assert started.view is not None
    await fill_hamnava(service, person, started.view.id)
    await service.add_document(started.view.id, person, "relief_letter", pdf(70))
    assert (await service.submit(started.view.id, person, today=TODAY)).ok
    second, _ = await submitted(service, sessions, province="اصفهان", city="کاشان")
    draft = await ready_draft(service, sessions)
    await service.take(second.app_id, caseworker("اصفهان"))
    return started.view.id, second.app_id, draft.app_id


async def test_xlsx_and_since(
    service: ApplicationService,
    session_factory: async_sessionmaker[AsyncSession],
    cli_env: None,
    tmp_path: Path,
) -> None:
    first, _, _ = await _three_applications(service, session_factory)
    async with session_factory() as session:  # the first was last touched long ago
        await session.execute(
            update(Application)
            .where(Application.id == first)
            .values(updated_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
        )
        await session.commit()
    out = tmp_path / "out.xlsx"
    assert await _main(["export-applications", "--format", "xlsx", "--output", str(out)]) == 0
    sheet = load_workbook(out).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    header, *data = rows
    assert header[:4] == ("tracking_code", "program", "program_version", "status")
    assert [r[0] for r in data] == ["HMN-1405-000001", "HMN-1405-000002"]
    columns = list(header)
    name = data[0][columns.index("full_name")]
    assert name == '=HYPERLINK("x")'  # kept as text, not turned into a formula
    assert sheet.cell(row=2, column=columns.index("full_name") + 1).data_type == "s"
    assert data[0][columns.index("relief_client")] is True
    assert data[1][columns.index("decile")] == 3
    # --since, Gregorian or Jalali (1405/09/01 = 2026-11-22).
    for since in ("2026-11-22", "۱۴۰۵/۰۹/۰۱"):
        assert await _main(["export-applications", "--format", "xlsx", "--since", since,
                            "--output", str(out)]) == 0
        sheet = load_workbook(out).active
        assert sheet is not None
        assert [r[0] for r in list(sheet.iter_rows(values_only=True))[1:]] == [
            "HMN-1405-000002"
        ]


async def test_bad_arguments(cli_env: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert await _main(["export-applications", "--status", "pending"]) == 2
    assert "unknown status 'pending'" in capsys.readouterr().err
    assert await _main(["export-applications", "--since", "yesterday"]) == 2
    with pytest.raises(ExportArgumentError):
        parse_statuses(["submitted,nope"])
    assert parse_statuses(["submitted,approved", "rejected"]) == [
        "submitted", "approved", "rejected"
    ]
    assert parse_statuses(None) is not None and "draft" not in (parse_statuses(None) or [])
    from zoneinfo import ZoneInfo

    since = parse_since("1405/09/01", ZoneInfo("Asia/Tehran"))
    assert since is not None and since.date() == dt.date(2026, 11, 22)


async def _main(argv: list[str]) -> int:
    """main() runs asyncio.run itself: call it off this test's event loop."""
    from tests.conftest import in_fresh_thread

    return in_fresh_thread(main, argv)
