"""`python -m bot import-courses FILE`: validate every row, then write all or nothing."""

from __future__ import annotations

import sys

from bot.config import Settings
from services.catalog_import import ImportFileError, import_courses
from services.catalog_import.report import file_error_text, report_lines
from services.waitlists import openings_recorder
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
            create_session_factory(engine), path, skip_invalid=skip_invalid, progress=_progress,
            openings=openings_recorder(settings.timezone),
        )
    except ImportFileError as error:
        print(f"cannot import {path}: {file_error_text(error)}", file=sys.stderr)
        return 1
    except FileNotFoundError:
        print(f"cannot import {path}: no such file", file=sys.stderr)
        return 1
    finally:
        await engine.dispose()

    # The same lines the bot sends an administrator (bot.handlers.admin.catalog_import), in English.
    for line in report_lines(report, max_errors=MAX_ERRORS_SHOWN):
        print(line)
    if report.waitlist_notices:
        print(f"{report.waitlist_notices} notices for people waiting for these courses")
    if report.errors and not report.written:
        print("fix the rows above, or use --skip-invalid")
        return 1
    return 0
