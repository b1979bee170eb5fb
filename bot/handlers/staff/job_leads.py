"""The staff's job-lead tools: /jobleads (the latest leads of their provinces with how many are
interested; buttons to list those people or export them as CSV, and for administrators
«🚫 Close» to withdraw an open lead, as /closelead N does, after a confirmation) and
/importleads (an administrator's CSV/XLSX file of leads, caption /importleads: the catalog
import's reader and report, all or nothing)."""

from __future__ import annotations

import asyncio
import re
import shutil
import tempfile
from pathlib import Path

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)
from aiogram.utils.i18n import gettext

from bot.handlers.staff.filters import IsStaff
from bot.i18n import current_locale
from bot.keyboards.job_leads import JobLeadStaffCb
from bot.platforms.bots import platform_of
from bot.platforms.files import DownloadFailed, FileTooBig, download_limited
from bot.platforms.profiles import profile_of
from bot.texts.job_leads import number
from services.catalog_import import MAX_FILE_BYTES, ImportFileError
from services.catalog_import.report import ReportStyle, file_error_text
from services.jalali import format_jalali
from services.job_leads import LEAD_COLUMNS, JobLeadService, LeadNotFound, NotAllowed, import_leads
from services.staff import StaffMember
from services.text import isolate, isolate_commands, localize_digits, normalize_digits

CLOSING = ("close", "close_yes", "close_no")
RECENT = 15
_PEOPLE_SHOWN = 50


def build_job_lead_tools_router() -> Router:
    """In the gated staff router (commands and staff buttons)."""
    router = Router(name=__name__)
    router.message.register(on_list, Command("jobleads"), IsStaff())
    router.message.register(on_close_command, Command("closelead"), IsStaff())
    router.callback_query.register(on_close_button, JobLeadStaffCb.filter(F.action.in_(CLOSING)),
                                   IsStaff())
    router.callback_query.register(on_button, JobLeadStaffCb.filter(), IsStaff())
    return router


def build_job_lead_import_router() -> Router:
    """Before the staff gate: a file's caption is no command text the gate reads."""
    router = Router(name=__name__)
    router.message.register(on_import, Command("importleads"), IsStaff(admin=True))
    return router


async def on_list(message: Message, staff: StaffMember, job_lead_service: JobLeadService) -> None:
    leads = await job_lead_service.recent(staff, RECENT)
    if not leads:
        await message.answer(isolate_commands(gettext(
            "No job leads yet. Administrators post one with /joblead, or many with a file "
            "sent with the caption /importleads.")))
        return
    locale = current_locale()
    lines = [gettext("💼 The latest job leads:")]
    rows = []
    for lead, interested in leads:
        buttons = []
        state = gettext("open") if lead.open else gettext("closed")
        lines.append(gettext(
            "#{number} · {title} — {employer} · {province} · until {date} ({state}) · "
            "interested: {count}"
        ).format(number=number(lead.id), title=lead.title, employer=lead.employer,
                 province=lead.province, date=format_jalali(lead.deadline, locale),
                 state=state, count=number(interested)))
        if interested:
            buttons += [
                InlineKeyboardButton(
                    text=gettext("👥 #{number}").format(number=number(lead.id)),
                    callback_data=JobLeadStaffCb(action="people", lead_id=lead.id).pack()),
                InlineKeyboardButton(
                    text=gettext("📄 CSV #{number}").format(number=number(lead.id)),
                    callback_data=JobLeadStaffCb(action="csv", lead_id=lead.id).pack()),
            ]
        if lead.open and staff.is_admin:
            buttons.append(InlineKeyboardButton(
                text=gettext("🚫 Close #{number}").format(number=number(lead.id)),
                callback_data=JobLeadStaffCb(action="close", lead_id=lead.id).pack()))
        if buttons:
            rows.append(buttons)
    await message.answer("\n".join(lines),
                         reply_markup=InlineKeyboardMarkup(inline_keyboard=rows) if rows else None)


async def on_button(
    callback: CallbackQuery, callback_data: JobLeadStaffCb, bot: Bot, staff: StaffMember,
    job_lead_service: JobLeadService,
) -> None:
    chat_id = callback.message.chat.id if callback.message else callback.from_user.id
    try:
        if callback_data.action == "csv":
            data = await job_lead_service.export_interested_csv(staff, callback_data.lead_id)
            await callback.answer()
            await bot.send_document(chat_id, BufferedInputFile(
                data, filename=f"job-lead-{callback_data.lead_id}-interested.csv"))
            return
        if callback_data.action != "people":
            await callback.answer(gettext("This button no longer works."))
            return
        lead, people = await job_lead_service.interested(staff, callback_data.lead_id)
    except LeadNotFound:
        await callback.answer(gettext("This job lead no longer exists."), show_alert=True)
        return
    except NotAllowed:
        await callback.answer(gettext("This job lead is in a province outside yours."),
                              show_alert=True)
        return
    await callback.answer()
    locale = current_locale()
    lines = [gettext("👥 Interested in #{number} · {title}:").format(
        number=number(lead.id), title=lead.title)]
    for person in people[:_PEOPLE_SHOWN]:
        lines.append("• " + " · ".join([
            person.full_name or gettext("(no name)"),
            isolate(localize_digits(person.phone, locale)) if person.phone else gettext("—"),
            person.province or gettext("—"),
        ]))
    if len(people) > _PEOPLE_SHOWN:
        lines.append(gettext("… and {count} more: use the CSV button.").format(
            count=number(len(people) - _PEOPLE_SHOWN)))
    if not people:
        lines.append(gettext("Nobody yet."))
    await bot.send_message(chat_id, "\n".join(lines))


async def on_close_command(
    message: Message, staff: StaffMember, job_lead_service: JobLeadService
) -> None:
    argument = (message.text or "").split(maxsplit=1)[1:]
    lead_id = parse_lead_number(argument[0]) if argument else None
    if lead_id is None:
        await message.answer(isolate_commands(gettext(
            "Write the job lead's number after the command, e.g. /closelead 12. "
            "/jobleads lists the leads with their numbers.")))
        return
    text, keyboard = await _ask_to_close(staff, job_lead_service, lead_id)
    await message.answer(text, reply_markup=keyboard)


async def on_close_button(
    callback: CallbackQuery, callback_data: JobLeadStaffCb, bot: Bot, staff: StaffMember,
    job_lead_service: JobLeadService,
) -> None:
    """«🚫 Close» asks; «Yes, close it» closes (the service checks the role again: a forged
    press from a caseworker is refused); «No» keeps the lead."""
    lead_id = callback_data.lead_id
    if callback_data.action == "close":
        text, keyboard = await _ask_to_close(staff, job_lead_service, lead_id)
        await callback.answer()
        chat_id = callback.message.chat.id if callback.message else callback.from_user.id
        await bot.send_message(chat_id, text, reply_markup=keyboard)
        return
    if callback_data.action == "close_no":
        await callback.answer(gettext("The job lead stays open."))
        await _replace(callback, gettext("Job lead #{number} stays open.").format(
            number=number(lead_id)))
        return
    try:
        closed = await job_lead_service.close(staff, lead_id, _staff_ref(staff))
    except (LeadNotFound, NotAllowed) as refusal:
        await callback.answer(_refusal(refusal), show_alert=True)
        return
    lead = closed.lead
    if closed.already:
        words = gettext("Job lead #{number} «{title}» was already closed.")
    else:
        words = gettext("🚫 Job lead #{number} «{title}» is closed. It is no longer listed for "
                        "beneficiaries, notices of it not yet sent are dropped, and an "
                        "«I'm interested» press on an old notice is answered that it is closed.")
    await callback.answer(gettext("Closed."))
    await _replace(callback, words.format(number=number(lead.id), title=lead.title))


async def _ask_to_close(
    staff: StaffMember, job_lead_service: JobLeadService, lead_id: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    try:
        lead = await job_lead_service.lead_to_close(staff, lead_id)
    except (LeadNotFound, NotAllowed) as refusal:
        return _refusal(refusal), None
    if lead.withdrawn:
        return gettext("Job lead #{number} «{title}» is already closed.").format(
            number=number(lead.id), title=lead.title), None
    question = gettext(
        "Close job lead #{number} «{title}» ({employer}, {province})? Beneficiaries will no "
        "longer see it, and notices of it not yet sent will be dropped. This cannot be undone."
    ).format(number=number(lead.id), title=lead.title, employer=lead.employer,
             province=lead.province)
    if not lead.open:
        question += "\n" + gettext("Its deadline has passed already.")
    keyboard = InlineKeyboardMarkup(inline_keyboard=[[
        InlineKeyboardButton(text=gettext("🚫 Yes, close it"), callback_data=JobLeadStaffCb(
            action="close_yes", lead_id=lead.id).pack()),
        InlineKeyboardButton(text=gettext("↩️ No, keep it"), callback_data=JobLeadStaffCb(
            action="close_no", lead_id=lead.id).pack()),
    ]])
    return question, keyboard


def _refusal(refusal: Exception) -> str:
    if isinstance(refusal, NotAllowed):
        return gettext("Only administrators can close job leads.")
    return gettext("This job lead no longer exists.")


async def _replace(callback: CallbackQuery, text: str) -> None:
    """The question's message now says what happened (its buttons go), or a new message
    where the messenger cannot edit."""
    message = callback.message
    if not isinstance(message, Message):
        return
    try:
        await message.edit_text(text, reply_markup=None)
    except TelegramAPIError:
        await message.answer(text)


def _staff_ref(staff: StaffMember) -> str:
    return f"{staff.platform}:{staff.user_id}"


async def on_import(
    message: Message, bot: Bot, staff: StaffMember, job_lead_service: JobLeadService
) -> None:
    document = message.document
    if document is None:
        await message.answer(isolate_commands(gettext(
            "To import job leads, send a .csv or .xlsx file with the caption /importleads. "
            "Its header: {columns}. Dates are Jalali (e.g. 1405/10/15); fields are the "
            "catalog's, separated by «،». One bad row means nothing is posted."
        ).format(columns=isolate(", ".join(LEAD_COLUMNS)))))
        return
    try:
        # What this messenger lets a bot download, and what the reader accepts.
        limit = min(profile_of(bot).max_download_bytes, MAX_FILE_BYTES)
        data = await download_limited(bot, document.file_id, document.file_size, limit)
    except FileTooBig:
        await message.answer(gettext("This file is too large."))
        return
    except DownloadFailed:
        await message.answer(
            gettext("I could not get the file from the messenger. Please send it again."))
        return
    folder = await asyncio.to_thread(tempfile.mkdtemp, prefix="leads-")
    try:
        path = Path(folder) / "leads"
        await asyncio.to_thread(path.write_bytes, data)
        report = await import_leads(
            job_lead_service, staff, path,
            f"{platform_of(bot)}:{message.from_user.id if message.from_user else 0}",
        )
    except ImportFileError as error:
        await message.answer(
            gettext("This file cannot be imported:") + "\n" + file_error_text(error, _style()))
        return
    finally:
        await asyncio.to_thread(shutil.rmtree, folder, True)
    heading = (gettext("✅ The job leads were posted.") if report.written
               else gettext("Nothing was imported: some rows have problems."))
    await message.answer("\n".join([heading, "", *report.lines(_style(), max_errors=30)]))


def parse_lead_number(text: str) -> int | None:
    """«12», «#۱۲» or «١٢»: the lead's number; anything else None."""
    digits = normalize_digits(text.strip().lstrip("#").strip())
    return int(digits) if re.fullmatch(r"[0-9]{1,9}", digits) else None


def _style() -> ReportStyle:
    locale = current_locale()
    return ReportStyle(
        translate=gettext, number=lambda n: localize_digits(str(n), locale),
        quote=lambda value: "«" + isolate(value) + "»", name=isolate,
    )
