"""Exam sessions or results imported by an administrator who sends a .csv or .xlsx file with
the caption /import_exams (the course import takes files without it). The same reading,
report and all-or-nothing rule as the catalog import; the header says which kind of file it
is. Created sessions are told to the enrolled people, results to each person."""

from __future__ import annotations

import asyncio
import logging
import shutil
import tempfile
from pathlib import Path

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.types import Message
from aiogram.utils.i18n import gettext

from bot.handlers.admin.catalog_import import (
    CATALOG_SUFFIXES,
    SentDocument,
    download_failed_text,
    import_limit,
    report_style,
)
from bot.handlers.staff.filters import IsStaff
from bot.notifications.notifier import Notifier
from bot.platforms.files import DownloadFailed, FileTooBig, download_limited
from services.catalog_import import ImportFileError, ImportReport
from services.catalog_import.report import file_error_text, report_lines
from services.exams import ExamService
from services.exams.importer import EXAM_DESCRIPTIONS, import_exams
from services.staff import StaffMember
from services.text import isolate, isolate_commands

logger = logging.getLogger(__name__)
_REPORT_CHARS = 3300
_REPORT_ERRORS = 30


def build_exam_import_router() -> Router:
    router = Router(name=__name__)
    router.message.register(
        on_exam_file, SentDocument(), Command("import_exams"), IsStaff(admin=True)
    )
    router.message.register(on_command_without_file, Command("import_exams"), IsStaff(admin=True))
    return router


async def on_command_without_file(message: Message) -> None:
    await message.answer(isolate_commands(gettext(
        "To import exam sessions or results, send the .csv or .xlsx file with the caption "
        "/import_exams."
    )))


async def on_exam_file(
    message: Message, bot: Bot, staff: StaffMember, exam_service: ExamService,
    notifier: Notifier | None = None,
) -> None:
    document = message.document
    assert document is not None  # SentDocument
    name = document.file_name or ""
    if not name.lower().endswith(CATALOG_SUFFIXES):
        await message.answer(gettext("Please send the exam file as a .csv or .xlsx file."))
        return
    try:
        data = await download_limited(bot, document.file_id, document.file_size,
                                      import_limit(bot))
    except (FileTooBig, DownloadFailed):
        await message.answer(download_failed_text())
        return
    await message.answer(
        gettext("Received {name}. Checking every row…").format(name=isolate(name))
    )
    folder = await asyncio.to_thread(tempfile.mkdtemp, prefix="exams-")
    try:
        path = Path(folder) / ("exams" + Path(name).suffix.lower())
        await asyncio.to_thread(path.write_bytes, data)
        kind, report = await import_exams(exam_service, path, staff=staff)
    except ImportFileError as error:
        await message.answer(gettext("This file cannot be imported:") + "\n"
                             + file_error_text(error, report_style(), EXAM_DESCRIPTIONS))
        return
    except Exception:
        logger.exception("exam import from the bot failed")
        await message.answer(gettext(
            "Something went wrong while importing. Nothing was written; please try again later."
        ))
        return
    finally:
        await asyncio.to_thread(shutil.rmtree, folder, True)
    if report.written and notifier is not None:
        notifier.queued()
    await message.answer(_report_text(kind, report))


def _report_text(kind: str, report: ImportReport) -> str:
    if report.written:
        heading = (gettext("The exam sessions were imported; the enrolled people are being told.")
                   if kind == "exam_sessions" else
                   gettext("The exam results were imported; each person is being told."))
    else:
        heading = gettext("Nothing was imported: some rows have problems.")
    lines = [heading, ""]
    lines += report_lines(report, report_style(), max_errors=_REPORT_ERRORS,
                          max_chars=_REPORT_CHARS, descriptions=EXAM_DESCRIPTIONS)
    if report.errors and not report.written:
        lines.append(gettext("Fix these rows and send the file again."))
    return "\n".join(lines)
