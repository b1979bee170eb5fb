"""/dashboard: a one-time link to the web dashboard; /stats: its overview as one picture.

Both only in a private chat with the bot (a link posted in a group could be opened by anyone
there within its five minutes); administrators and caseworkers only, a caseworker's figures
limited to their provinces."""

from __future__ import annotations

import asyncio
from urllib.parse import quote

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, Message
from aiogram.utils.i18n import gettext

from bot.config import Settings
from bot.handlers.staff.filters import IsStaff
from bot.texts.applications import status_label
from services.dashboard import DashboardAccess, NotStaff
from services.dashboard.figures import DashboardFigures, Overview
from services.dashboard.picture import Panel, overview_png
from services.dashboard.scope import Scope
from services.jalali import format_jalali
from services.staff import StaffMember
from services.text import format_number, isolate_commands


def build_dashboard_router() -> Router:
    router = Router(name=__name__)
    router.message.register(on_dashboard, Command("dashboard"), IsStaff())
    router.message.register(on_stats, Command("stats"), IsStaff())
    return router


async def _private_only(message: Message) -> bool:
    if message.chat.type == "private":
        return True
    await message.answer(isolate_commands(gettext(
        "Please send this command to the bot in a private chat: the dashboard's link and "
        "figures are for you alone."
    )))
    return False


async def on_dashboard(
    message: Message, staff: StaffMember, dashboard_access: DashboardAccess, settings: Settings
) -> None:
    if not await _private_only(message):
        return
    try:
        token = await dashboard_access.issue_link_token(staff.platform, staff.user_id)
    except NotStaff:  # the role was taken away a moment ago
        return
    link = f"{settings.dashboard_origin()}/dashboard/login?token={quote(token)}"
    await message.answer(
        gettext("Your link to the dashboard (it opens once, within five minutes; do not "
                "share it):") + "\n" + link,
        disable_web_page_preview=True,
    )


async def on_stats(
    message: Message, staff: StaffMember, dashboard_figures: DashboardFigures
) -> None:
    if not await _private_only(message):
        return
    overview = await dashboard_figures.overview(Scope(staff.provinces))
    locale = _locale()
    panels = [
        Panel(gettext("Registrations, last 7 days"),
              [format_jalali(day, locale) for day, _ in overview.registrations_by_day[-7:]],
              [count for _, count in overview.registrations_by_day[-7:]]),
        Panel(gettext("Applications per status"),
              [status_label(code) for code in overview.applications_by_status],
              list(overview.applications_by_status.values())),
        Panel(gettext("Applications per province"),
              [name or "—" for name in list(overview.applications_by_province)[:10]],
              list(overview.applications_by_province.values())[:10]),
        Panel(gettext("Registered people per messenger"),
              [_messenger(code) for code in overview.registrations_by_messenger],
              list(overview.registrations_by_messenger.values())),
    ]
    summary = _summary(overview, locale)
    picture = await asyncio.to_thread(
        overview_png, gettext("Maharatyar at a glance"), panels, summary, locale
    )
    caption = "\n".join(f"{name}: {value}" for name, value in summary.items())
    await message.answer_photo(
        BufferedInputFile(picture, filename="stats.png"),
        caption=isolate_commands(caption + "\n" + gettext("Details: /dashboard")),
    )


def _locale() -> str:
    from aiogram.utils.i18n import get_i18n

    return get_i18n().current_locale


def _messenger(code: str) -> str:
    return {"telegram": gettext("Telegram"), "bale": gettext("Bale")}.get(code, code)


def _hours(value: float | None, locale: str) -> str:
    return "—" if value is None else format_number(round(value), locale)


def _summary(overview: Overview, locale: str) -> dict[str, str]:
    return {
        gettext("Registrations in 30 days"): format_number(overview.registrations, locale),
        gettext("Applications"): format_number(overview.applications, locale),
        gettext("Waiting for review"): format_number(overview.in_queue, locale),
        gettext("Median time to decision (hours)"): _hours(overview.decision_median_hours,
                                                           locale),
        gettext("Open conversations"): format_number(overview.open_tickets, locale),
        gettext("Exams passed in 90 days"): gettext("{passed} of {examined}").format(
            passed=format_number(overview.exams.passed, locale),
            examined=format_number(overview.exams.examined, locale),
        ),
    }
