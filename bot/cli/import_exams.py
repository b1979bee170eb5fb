"""`python -m bot import-exams FILE`: exam sessions or results (the header says which);
every row checked, then all or nothing (or the good rows with --skip-invalid)."""

from __future__ import annotations

import sys

from bot.config import Settings
from services.catalog_import import ImportFileError
from services.catalog_import.report import file_error_text, report_lines
from services.exams import ExamService, parse_reminder_hours
from services.exams.importer import EXAM_DESCRIPTIONS, import_exams
from storage.db import create_engine, create_session_factory
from storage.migrate import upgrade_database_async

MAX_ERRORS_SHOWN = 200


async def import_exams_command(settings: Settings, path: str, skip_invalid: bool) -> int:
    await upgrade_database_async(settings.database_url)
    engine = create_engine(settings.database_url)
    exams = ExamService(
        create_session_factory(engine), timezone=settings.timezone,
        reminder_hours=parse_reminder_hours(settings.exam_reminder_hours),
    )
    try:
        kind, report = await import_exams(exams, path, skip_invalid=skip_invalid, author="cli")
    except ImportFileError as error:
        print(f"cannot import {path}: {file_error_text(error, descriptions=EXAM_DESCRIPTIONS)}",
              file=sys.stderr)
        return 1
    except FileNotFoundError:
        print(f"cannot import {path}: no such file", file=sys.stderr)
        return 1
    finally:
        await engine.dispose()
    print(f"{kind.replace('_', ' ')}:")
    for line in report_lines(report, max_errors=MAX_ERRORS_SHOWN, descriptions=EXAM_DESCRIPTIONS):
        print(line)
    if report.errors and not report.written:
        print("fix the rows above, or use --skip-invalid")
        return 1
    # The notices wait in the outbox: the running bot sends them.
    return 0
