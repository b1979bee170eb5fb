"""`python -m bot import-courses FILE`: validate every row, then write all or nothing."""

from __future__ import annotations

import sys

from bot.config import Settings
from bot.services.catalog_import import ImportFileError, describe_error, import_courses
from storage.db import create_engine, create_session_factory
from storage.migrate import upgrade_database_async

MAX_ERRORS_SHOWN = 200


def _progress(done: int, total: int) -> None:
    width = 30
    filled = width * done // total if total else width
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} rows")
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()


async def import_courses_command(settings: Settings, path: str, skip_invalid: bool) -> int:
    await upgrade_database_async(settings.database_url)
    engine = create_engine(settings.database_url)
    try:
        report = await import_courses(
            create_session_factory(engine), path, skip_invalid=skip_invalid, progress=_progress
        )
    except ImportFileError as error:
        print(f"cannot import {path}: {describe_error(error.code)}", file=sys.stderr)
        return 1
    except FileNotFoundError:
        print(f"cannot import {path}: no such file", file=sys.stderr)
        return 1
    finally:
        await engine.dispose()

    for row_error in report.errors[:MAX_ERRORS_SHOWN]:
        print(f"line {row_error.line}, column {row_error.column}: "
              f"{describe_error(row_error.reason_code)} (value: {row_error.value!r})")
    if len(report.errors) > MAX_ERRORS_SHOWN:
        print(f"... and {len(report.errors) - MAX_ERRORS_SHOWN} more problems")
    print(f"rows: {report.total_rows}, bad rows: {report.invalid_rows}, created: {report.created}, "
          f"updated: {report.updated}, unchanged: {report.unchanged}")
    if report.errors and not report.written:
        print("nothing was written (fix the rows above, or use --skip-invalid)")
        return 1
    return 0
