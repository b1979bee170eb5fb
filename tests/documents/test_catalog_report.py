"""The shared import report: every error code has words, and the CLI prints the bot's lines."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bot.cli.import_courses import import_courses_command
from bot.config import Settings
from services.catalog_import import (
    COLUMNS,
    FILE_ERROR_CODES,
    ROW_ERROR_CODES,
    ImportFileError,
    ImportReport,
    RowError,
)
from services.catalog_import.report import (
    DESCRIPTIONS,
    ReportStyle,
    describe_code,
    file_error_text,
    report_lines,
)
from tests.catalog.helpers import course_row


def test_every_error_code_has_a_translatable_description() -> None:
    assert set(DESCRIPTIONS) == set(FILE_ERROR_CODES) | set(ROW_ERROR_CODES)
    assert describe_code("file.too_large") == "the file is larger than 20 MB"


def test_style_translates_and_localizes_numbers() -> None:
    style = ReportStyle(
        translate=lambda msgid: "T:" + msgid, number=lambda n: f"<{n}>", quote=lambda v: f"[{v}]"
    )
    report = ImportReport(
        total_rows=3, invalid_rows=1, errors=[RowError(7, "capacity", "not_integer", "ده")]
    )
    lines = report_lines(report, style)
    assert lines[0] == "T:line {line}, column {column}: {reason} (value: {value})".format(
        line="<7>", column="capacity", reason="T:not a whole number", value="[ده]"
    )
    assert "<3>" in lines[1] and lines[1].startswith("T:rows")
    assert lines[-1] == "T:Nothing was written."
    assert describe_code("file.too_many_rows", style) == "T:the file has more than {limit} rows" \
        .format(limit="<200000>")


def test_long_reports_are_capped() -> None:
    errors = [RowError(n, "province", "unknown_province", "x" * 500) for n in range(2, 1002)]
    report = ImportReport(total_rows=1000, invalid_rows=1000, errors=errors)
    lines = report_lines(report, max_errors=30, max_chars=3000)
    assert sum(len(line) + 1 for line in lines) <= 3000
    assert lines[-3].startswith("... and ") and lines[-3].endswith(" more problems")
    assert all(len(line) < 200 for line in lines)  # values are shortened
    assert len(report_lines(report, max_errors=5)) == 5 + 3


def test_header_problems_name_the_columns() -> None:
    error = ImportFileError("header.missing_columns", missing=("fee_rial",), unknown=("price",))
    assert file_error_text(error) == (
        "required columns are missing from the header\n"
        "missing columns: fee_rial\nunknown columns: 'price'"
    )


async def test_cli_prints_the_shared_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(COLUMNS))
        writer.writeheader()
        writer.writerows([course_row("R1"), course_row("R2", capacity="many")])
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}",
    )
    code = await import_courses_command(settings, str(path), skip_invalid=False)
    out = capsys.readouterr().out.splitlines()
    assert code == 1
    assert out[:3] == [
        "line 3, column capacity: not a whole number (value: 'many')",
        "rows: 2, bad rows: 1, created: 0, updated: 0, unchanged: 0",
        "Nothing was written.",
    ]
