"""Course catalog import by an administrator who sends a .csv or .xlsx file to the bot.

The same importer and the same report as `python -m bot import-courses`. All or nothing by
default; when rows are bad the report offers «Import only the good rows».

Only files an administrator sends in a private chat with no form open are taken here: a
document sent while a form (e.g. an application's document step) is open belongs to that form,
and anyone else's stray file gets the ordinary fallback answer.

The good-rows button does not keep the file on this machine. The file's id, name and SHA-256
are kept in the conversation storage (Redis or the database, so a restart or another worker
can answer the press), and the press downloads the file again and checks the hash: the rows
imported are exactly the rows the administrator saw the report for, and nothing of the
catalog lies in a temp folder waiting for a press that may never come.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import secrets
import shutil
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from aiogram import Bot, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import BaseFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext
from aiogram_dialog.api.internal import CONTEXT_KEY

from bot.handlers.staff.filters import IsStaff
from bot.i18n import current_locale
from bot.platforms.files import DownloadFailed, FileTooBig, download_limited
from bot.platforms.profiles import profile_of
from services.catalog_import import (
    MAX_FILE_BYTES,
    CatalogImporter,
    ImportFileError,
    ImportReport,
)
from services.catalog_import.report import ReportStyle, file_error_text, report_lines
from services.text import isolate, localize_digits

logger = logging.getLogger(__name__)

CATALOG_SUFFIXES = (".csv", ".xlsx")
# One message: Telegram's limit is 4096 characters; leave room for the heading and the hint.
_REPORT_CHARS = 3300
_REPORT_ERRORS = 30
_PENDING_DESTINY = "catalog_import"
# A report older than this is stale: the admin should look at the file again.
_PENDING_SECONDS = 24 * 60 * 60
_MB = 1024 * 1024


class CatalogImportCb(CallbackData, prefix="cimp"):
    token: str  # matches the pending import kept for this chat; anything else is stale/forged


class SentDocument(BaseFilter):
    async def __call__(self, message: Message) -> bool:
        return message.document is not None


class NoOpenForm(BaseFilter):
    """No aiogram-dialog form is open in this chat (an open one owns what is sent to it)."""

    async def __call__(self, message: Message, **data: Any) -> bool:
        # aiogram-dialog's outer middleware has put the chat's open context (if any) here;
        # DialogManager itself only exists later, for handlers.
        return data.get(CONTEXT_KEY) is None


def build_admin_import_router() -> Router:
    router = Router(name=__name__)
    # Cheap checks first: the staff look-up only runs for documents sent outside a form.
    router.message.register(
        on_catalog_file, SentDocument(), NoOpenForm(), IsStaff(admin=True)
    )
    router.callback_query.register(
        on_import_good_rows, CatalogImportCb.filter(), IsStaff(admin=True)
    )
    return router


async def on_catalog_file(
    message: Message, bot: Bot, state: FSMContext, import_catalog: CatalogImporter
) -> None:
    document = message.document
    assert document is not None  # SentDocument
    name = document.file_name or ""
    if not name.lower().endswith(CATALOG_SUFFIXES):
        await message.answer(
            gettext("To import the course catalog, send it as a .csv or .xlsx file.")
        )
        return
    limit = import_limit(bot)
    try:
        data = await download_limited(bot, document.file_id, document.file_size, limit)
    except FileTooBig:
        await message.answer(_too_big_text(limit))
        return
    except DownloadFailed:
        await message.answer(download_failed_text())
        return
    await message.answer(
        gettext("Received {name}. Checking every row…").format(name=isolate(name))
    )
    report = await _run_import(message, import_catalog, data, name, False)
    if report is None:
        return
    pending = _pending(state)
    keyboard = None
    if not report.written and report.total_rows > report.invalid_rows:
        token = secrets.token_hex(4)
        await pending.set_data({
            "token": token,
            "file_id": document.file_id,
            "name": name,
            "sha256": hashlib.sha256(data).hexdigest(),
            "at": time.time(),
        })
        keyboard = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(
            text=gettext("Import only the good rows"),
            callback_data=CatalogImportCb(token=token).pack(),
        )]])
    else:
        await pending.set_data({})  # a newer file: an older report's button is stale now
    await message.answer(_report_text(report), reply_markup=keyboard)


async def on_import_good_rows(
    callback: CallbackQuery,
    callback_data: CatalogImportCb,
    bot: Bot,
    state: FSMContext,
    import_catalog: CatalogImporter,
) -> None:
    pending = _pending(state)
    saved = await pending.get_data()
    fresh = time.time() - float(saved.get("at", 0)) < _PENDING_SECONDS
    if not saved or saved.get("token") != callback_data.token or not fresh:
        await callback.answer(
            gettext("This button no longer works. Send the file again to import it.")
        )
        return
    # Forget it first: a second press (double tap) must not import twice.
    await pending.set_data({})
    await callback.answer()
    message = callback.message
    if not isinstance(message, Message):
        return  # too old for the messenger to show us; the admin can send the file again
    try:
        await message.edit_reply_markup(reply_markup=None)
    except TelegramAPIError:
        pass  # a dead button left on the report is harmless: the press is already spent
    try:
        data = await download_limited(bot, saved["file_id"], None, import_limit(bot))
    except (FileTooBig, DownloadFailed):
        await message.answer(download_failed_text())
        return
    if hashlib.sha256(data).hexdigest() != saved["sha256"]:
        await message.answer(download_failed_text())
        return
    report = await _run_import(message, import_catalog, data, str(saved["name"]), True)
    if report is not None:
        await message.answer(_report_text(report))


def import_limit(bot: Bot) -> int:
    """What this messenger lets a bot download, and what the importer accepts."""
    return min(profile_of(bot).max_download_bytes, MAX_FILE_BYTES)


async def _run_import(
    message: Message,
    import_catalog: CatalogImporter,
    data: bytes,
    name: str,
    skip_invalid: bool,
) -> ImportReport | None:
    """Import from a private temp file (removed right after); None when the file was refused,
    which is answered here."""
    folder = await asyncio.to_thread(tempfile.mkdtemp, prefix="catalog-")
    try:
        # The importer reads a path and decides the type by content; the suffix is cosmetic.
        path = Path(folder) / ("catalog" + Path(name).suffix.lower())
        await asyncio.to_thread(path.write_bytes, data)
        report = await import_catalog(path, skip_invalid=skip_invalid)
    except ImportFileError as error:
        await message.answer(
            gettext("This file cannot be imported:") + "\n" + file_error_text(error, report_style())
        )
        return None
    except Exception:
        logger.exception("catalog import from the bot failed")
        await message.answer(
            gettext("Something went wrong while importing. Nothing was written; please try "
                    "again later.")
        )
        return None
    finally:
        await asyncio.to_thread(shutil.rmtree, folder, True)
    return report


def _report_text(report: ImportReport) -> str:
    if report.written and report.errors:
        heading = gettext("The good rows were imported; the rows below were skipped.")
    elif report.written:
        heading = gettext("The course catalog was imported.")
    else:
        heading = gettext("Nothing was imported: some rows have problems.")
    lines = [heading, ""]
    lines += report_lines(
        report, report_style(), max_errors=_REPORT_ERRORS, max_chars=_REPORT_CHARS
    )
    if report.errors and not report.written:
        lines.append(gettext("Fix these rows and send the file again."))
        if report.total_rows > report.invalid_rows:
            lines.append(gettext("Or import only the good rows with the button below."))
    return "\n".join(lines)


def report_style() -> ReportStyle:
    locale = current_locale()
    return ReportStyle(
        translate=gettext,
        number=lambda n: localize_digits(str(n), locale),
        quote=lambda value: "«" + isolate(value) + "»",
        name=isolate,
    )


def _too_big_text(limit: int) -> str:
    locale = current_locale()
    return gettext(
        "This file is too large. Files up to {limit} MB can be imported here; split the "
        "catalog into smaller files, or import it on the server with the import-courses command."
    ).format(limit=localize_digits(str(limit // _MB), locale))


def download_failed_text() -> str:
    return gettext("I could not get the file from the messenger. Please send it again.")


def _pending(state: FSMContext) -> FSMContext:
    # Its own slot beside the conversation's: forms may clear their data without losing this.
    return FSMContext(storage=state.storage, key=replace(state.key, destiny=_PENDING_DESTINY))
