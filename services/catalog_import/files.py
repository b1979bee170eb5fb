"""Reading a catalog file: type by content (CSV in UTF-8 or XLSX), size limits, header check."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from services.catalog_import.rows import COLUMNS, ROW_DESCRIPTIONS, RawRow
from services.jalali import to_jalali_text

MAX_FILE_BYTES = 20 * 1024 * 1024
# An XLSX under 20 MB can still unzip to millions of rows; the country has far fewer courses.
MAX_ROWS = 200_000
_ZIP_MAGIC = b"PK\x03\x04"

FILE_ERROR_CODES: tuple[str, ...] = (
    "file.empty",
    "file.too_large",
    "file.unsupported_type",
    "file.no_rows",
    "file.too_many_rows",
    "header.missing_columns",
    "header.unknown_columns",
    "header.duplicate_columns",
)

_FILE_DESCRIPTIONS: dict[str, str] = {
    "file.empty": "the file is empty",
    "file.too_large": f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB",
    "file.unsupported_type": "the file is neither a UTF-8 CSV nor an XLSX workbook",
    "file.no_rows": "the file has a header but no course rows",
    "file.too_many_rows": f"the file has more than {MAX_ROWS} rows",
    "header.missing_columns": "required columns are missing from the header",
    "header.unknown_columns": "the header has columns that are not part of the catalog format",
    "header.duplicate_columns": "a column appears more than once in the header",
}


def describe_error(code: str) -> str:
    """Plain English for the command line; the bot localizes codes itself."""
    return _FILE_DESCRIPTIONS.get(code) or ROW_DESCRIPTIONS.get(code, code)


class ImportFileError(Exception):
    """The file as a whole cannot be imported (type, size, header)."""

    def __init__(
        self, code: str, *, missing: tuple[str, ...] = (), unknown: tuple[str, ...] = ()
    ) -> None:
        detail = describe_error(code)
        if missing:
            detail += f"; missing: {', '.join(missing)}"
        if unknown:
            detail += f"; unknown: {', '.join(repr(name) for name in unknown)}"
        super().__init__(detail)
        self.code = code
        self.missing = missing
        self.unknown = unknown


def read_rows(path: str | Path, columns: tuple[str, ...] = COLUMNS) -> list[RawRow]:
    """Data rows of a CSV (UTF-8, BOM optional) or XLSX file, with their line numbers.

    The type is decided by content, not by the file name: administrators rename files.
    `columns`: the header every row file of this kind has (the catalog's by default; job
    leads and other imports share this reader with their own).
    """
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        raise ImportFileError("file.empty")
    if size > MAX_FILE_BYTES:
        raise ImportFileError("file.too_large")
    data = path.read_bytes()
    if data.startswith(_ZIP_MAGIC):
        return _rows_with_header(_xlsx_records(data), columns)
    return _rows_with_header(_csv_records(data), columns)


def _csv_records(data: bytes) -> Iterator[tuple[int, list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError("file.unsupported_type") from exc
    if "\x00" in text:
        raise ImportFileError("file.unsupported_type")
    reader = csv.reader(io.StringIO(text, newline=""))
    while True:
        # A quoted cell may span lines; a row's line is where it starts.
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ImportFileError("file.unsupported_type") from exc
        yield start, cells


def _xlsx_records(data: bytes) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook  # import cost only paid by XLSX imports

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a ZIP that is not a workbook
        raise ImportFileError("file.unsupported_type") from exc
    try:
        if not workbook.worksheets:
            raise ImportFileError("file.empty")
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
            yield number, [_cell_text(value) for value in values]
    finally:
        workbook.close()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    # Excel turns a typed date into a Gregorian serial; hand it on in the catalog's Jalali form.
    if isinstance(value, dt.datetime):
        return to_jalali_text(value.date())
    if isinstance(value, dt.date):
        return to_jalali_text(value)
    return str(value)


def _rows_with_header(
    records: Iterator[tuple[int, list[str]]], columns: tuple[str, ...] = COLUMNS
) -> list[RawRow]:
    header: list[str] | None = None
    rows: list[RawRow] = []
    for line, cells in records:
        if not any(cell.strip() for cell in cells):
            continue
        if header is None:
            header = [cell.strip().lstrip("\ufeff") for cell in cells]
            while header and not header[-1]:
                header.pop()
            _check_header(header, columns)
            continue
        values = {name: (cells[i] if i < len(cells) else "") for i, name in enumerate(header)}
        overflow = tuple(cell for cell in cells[len(header) :] if cell.strip())
        rows.append(RawRow(line=line, values=values, overflow=overflow))
        if len(rows) > MAX_ROWS:
            raise ImportFileError("file.too_many_rows")
    if header is None:
        raise ImportFileError("file.empty")
    if not rows:
        raise ImportFileError("file.no_rows")
    return rows


def _check_header(header: list[str], columns: tuple[str, ...] = COLUMNS) -> None:
    duplicates = tuple(sorted({name for name in header if header.count(name) > 1}))
    if duplicates:
        raise ImportFileError("header.duplicate_columns", unknown=duplicates)
    missing = tuple(name for name in columns if name not in header)
    unknown = tuple(name for name in header if name not in columns)
    if missing:
        raise ImportFileError("header.missing_columns", missing=missing, unknown=unknown)
    if unknown:
        raise ImportFileError("header.unknown_columns", unknown=unknown)
