"""`python -m bot export-applications`: applications with the applicants' profiles, CSV or XLSX."""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.config import Settings
from services.applications import Status
from services.applications.export import Cell, ExportTable, export_table
from services.jalali import InvalidJalaliDate, parse_jalali
from services.programs import ProgramFileError, load_programs
from services.text import normalize_digits
from storage.db import create_engine, create_session_factory

FORMATS = ("csv", "xlsx")
# Spreadsheets run a cell starting with these as a formula: text typed by beneficiaries
# (names, answers) must never become one.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ExportArgumentError(ValueError):
    pass


def parse_statuses(values: Sequence[str] | None) -> list[str] | None:
    """"submitted,under_review" or repeated --status; None (no option) = all but drafts."""
    if not values:
        return [s.value for s in Status if s is not Status.DRAFT]
    wanted: list[str] = []
    for value in values:
        for item in value.split(","):
            name = item.strip().lower()
            if not name:
                continue
            if name == "all":
                return None
            if name not in {s.value for s in Status}:
                known = ", ".join(s.value for s in Status)
                raise ExportArgumentError(f"unknown status {name!r}; known: {known}, all")
            wanted.append(name)
    return wanted


def parse_since(value: str | None, timezone: ZoneInfo) -> dt.datetime | None:
    """YYYY-MM-DD (Gregorian) or YYYY/MM/DD with a Jalali year (e.g. 1405/09/01), as the
    start of that day in the service's time zone."""
    if value is None:
        return None
    text = normalize_digits(value).strip()
    try:
        year = int(text[:4])
    except ValueError:
        raise ExportArgumentError(f"--since {value!r}: expected YYYY-MM-DD") from None
    try:
        day = parse_jalali(text) if year < 1700 else dt.date.fromisoformat(text)
    except (InvalidJalaliDate, ValueError):
        raise ExportArgumentError(
            f"--since {value!r}: not a date (2026-11-22 or Jalali 1405/09/01)"
        ) from None
    return dt.datetime.combine(day, dt.time(), timezone)


def safe_text(value: Cell) -> Cell:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


class CellTable(Protocol):
    """A table of cells: the applications export, the audit export."""

    @property
    def columns(self) -> Sequence[str]: ...
    @property
    def rows(self) -> Sequence[Sequence[Cell]]: ...


def write_csv(table: CellTable, output: Path) -> None:
    # UTF-8 with BOM: Excel then shows Persian text instead of mojibake.
    with output.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(table.columns)
        for row in table.rows:
            writer.writerow(["" if v is None else safe_text(v) for v in row])


def write_xlsx(table: ExportTable, output: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("applications")
    sheet.sheet_view.rightToLeft = True
    sheet.append(table.columns)
    for row in table.rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    output.write_bytes(buffer.getvalue())


async def export_applications_command(
    settings: Settings,
    fmt: str,
    statuses: Sequence[str] | None,
    since: str | None,
    output: str | None,
) -> int:
    timezone = ZoneInfo(settings.timezone)
    try:
        wanted = parse_statuses(statuses)
        since_at = parse_since(since, timezone)
    except ExportArgumentError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    try:
        registry = load_programs(settings.programs_dir)
    except ProgramFileError as error:
        print(error, file=sys.stderr)
        return 1
    path = Path(output) if output else Path(f"applications-{dt.date.today():%Y%m%d}.{fmt}")
    engine = create_engine(settings.database_url)
    try:
        table = await export_table(
            create_session_factory(engine), registry, statuses=wanted, since=since_at,
            timezone=timezone,
        )
    finally:
        await engine.dispose()
    (write_xlsx if fmt == "xlsx" else write_csv)(table, path)
    print(f"wrote {len(table.rows)} applications to {path}", file=sys.stderr)
    return 0
