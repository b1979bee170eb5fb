"""The words of a catalog import's outcome, shared by `python -m bot import-courses` and the bot.

Both print the same lines; only the style differs: the command line keeps English and plain
quotes, the bot passes gettext, localized digits and bidi isolates (an administrator reading
Persian sees Persian digits, and a Latin column name stays readable inside a right-to-left line).
The msgids are marked with N_ so `make locales-update` extracts them (no aiogram import here).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from services.catalog_import.files import (
    MAX_FILE_BYTES,
    MAX_ROWS,
    ImportFileError,
    describe_error,
)
from services.catalog_import.importer import ImportReport
from services.catalog_import.rows import RowError


def N_(msgid: str) -> str:
    """Marks a msgid for extraction (babel keyword `N_`); translated by the style's gettext."""
    return msgid


_MB = 1024 * 1024
_VALUE_CHARS = 40

# One text per error code (files.FILE_ERROR_CODES and rows.ROW_ERROR_CODES; a test keeps them
# complete). Wording follows files.describe_error, with limits as placeholders.
DESCRIPTIONS: dict[str, str] = {
    "file.empty": N_("the file is empty"),
    "file.too_large": N_("the file is larger than {limit} MB"),
    "file.unsupported_type": N_("the file is neither a UTF-8 CSV nor an XLSX workbook"),
    "file.no_rows": N_("the file has a header but no course rows"),
    "file.too_many_rows": N_("the file has more than {limit} rows"),
    "header.missing_columns": N_("required columns are missing from the header"),
    "header.unknown_columns": N_(
        "the header has columns that are not part of the catalog format"
    ),
    "header.duplicate_columns": N_("a column appears more than once in the header"),
    "required": N_("a value is required"),
    "too_long": N_("the value is too long"),
    "not_integer": N_("not a whole number"),
    "out_of_range": N_("the number is out of the allowed range"),
    "unknown_province": N_("not one of Iran's 31 provinces"),
    "date.format": N_("not a Jalali date like 1405/09/15"),
    "date.not_exist": N_("this Jalali date does not exist"),
    "date.out_of_range": N_("the year is outside 1390..1480 (Jalali) or 1900..2100 (Gregorian)"),
    "not_yes_no": N_("expected yes/no (or بله/خیر)"),
    "not_allowed_value": N_("not one of the allowed values"),
    "rank.required_for_private": N_("private centers need a rank 1..5"),
    "rank.not_allowed_for_government": N_("government centers have no rank; leave it empty"),
    "seats.over_capacity": N_("seats_taken is larger than capacity"),
    "duplicate_code": N_("this course_code already appears on an earlier line"),
    "code.bad_shape": N_("a course_code may only have Latin letters, digits, - and _"),
    "too_many_cells": N_("the row has more cells than the header"),
}
_LIMITS = {"file.too_large": MAX_FILE_BYTES // _MB, "file.too_many_rows": MAX_ROWS}


def _same(text: str) -> str:
    return text


@dataclass(frozen=True, slots=True)
class ReportStyle:
    translate: Callable[[str], str] = _same
    number: Callable[[int], str] = str
    # A cell value or column name taken from the file (already shortened).
    quote: Callable[[str], str] = repr
    name: Callable[[str], str] = _same


PLAIN = ReportStyle()


def describe_code(code: str, style: ReportStyle = PLAIN) -> str:
    msgid = DESCRIPTIONS.get(code)
    if msgid is None:
        return describe_error(code)  # a code newer than this table: English beats nothing
    limit = _LIMITS.get(code)
    text = style.translate(msgid)
    return text.format(limit=style.number(limit)) if limit is not None else text


def file_error_text(error: ImportFileError, style: ReportStyle = PLAIN) -> str:
    """Why the file as a whole was refused, with the columns at fault."""
    lines = [describe_code(error.code, style)]
    if error.missing:
        lines.append(
            style.translate(N_("missing columns: {names}")).format(
                names=", ".join(style.name(name) for name in error.missing)
            )
        )
    if error.unknown:
        label = (
            N_("repeated columns: {names}")
            if error.code == "header.duplicate_columns"
            else N_("unknown columns: {names}")
        )
        lines.append(
            style.translate(label).format(
                names=", ".join(style.quote(_short(name)) for name in error.unknown)
            )
        )
    return "\n".join(lines)


def row_error_line(
    error: RowError,
    style: ReportStyle = PLAIN,
    describe: Callable[[str, ReportStyle], str] | None = None,
) -> str:
    """`describe`: another import's wording of its own codes (job leads), else the catalog's."""
    reason = (describe or describe_code)(error.reason_code, style)
    line = style.number(error.line)
    if not error.column:
        return style.translate(N_("line {line}: {reason}")).format(line=line, reason=reason)
    return style.translate(N_("line {line}, column {column}: {reason} (value: {value})")).format(
        line=line,
        column=style.name(error.column),
        reason=reason,
        value=style.quote(_short(error.value)),
    )


def report_lines(
    report: ImportReport,
    style: ReportStyle = PLAIN,
    *,
    max_errors: int = 200,
    max_chars: int | None = None,
) -> list[str]:
    """Bad rows (line, column, reason, value), then the counts, then whether anything was
    written. At most `max_errors` problem lines and, when given, `max_chars` in all."""
    footer = [summary_line(report, style)]
    if report.errors and not report.written:
        footer.append(style.translate(N_("Nothing was written.")))
    budget = None if max_chars is None else max_chars - sum(len(x) + 1 for x in footer) - 60
    lines: list[str] = []
    for error in report.errors[:max_errors]:
        text = row_error_line(error, style)
        if budget is not None:
            budget -= len(text) + 1
            if budget < 0:
                break
        lines.append(text)
    hidden = len(report.errors) - len(lines)
    if hidden:
        lines.append(
            style.translate(N_("... and {count} more problems")).format(
                count=style.number(hidden)
            )
        )
    return lines + footer


def summary_line(report: ImportReport, style: ReportStyle = PLAIN) -> str:
    return style.translate(
        N_("rows: {rows}, bad rows: {bad}, created: {created}, updated: {updated}, "
           "unchanged: {unchanged}")
    ).format(
        rows=style.number(report.total_rows),
        bad=style.number(report.invalid_rows),
        created=style.number(report.created),
        updated=style.number(report.updated),
        unchanged=style.number(report.unchanged),
    )


def _short(value: str) -> str:
    value = " ".join(value.split())  # a cell may hold newlines; keep one report line per row
    return value if len(value) <= _VALUE_CHARS else value[: _VALUE_CHARS - 1] + "…"
