"""What the broadcast form's screens show: the notice, the audience with its live count, the
options of one part of the audience, the preview's count."""

from __future__ import annotations

from typing import Any, cast

from aiogram.utils.i18n import gettext
from aiogram_dialog import DialogManager

from bot.dialogs import context as ctx
from bot.dialogs.broadcast import audience as aud
from bot.dialogs.broadcast.content import Draft, Problem, problem_of
from bot.dialogs.broadcast.dialog_data import DRAFT_KEY, FACET_KEY, NOTICE_KEY
from bot.i18n import N_
from bot.platforms.profiles import MB, profile_of
from bot.texts.applications import program_name, status_label
from services.applications import Status
from services.broadcasts import BroadcastService
from services.provinces import PROVINCES
from services.text import format_number, join_words

PLATFORM_NAMES = {"telegram": N_("Telegram"), "bale": N_("Bale")}
FACET_TITLES = {
    "platforms": N_("📱 Which messenger?"),
    "provinces": N_("📍 Which provinces? Press to tick or untick."),
    "programs": N_("🎓 Which programs? Press to tick or untick."),
    "statuses": N_("📋 Which application statuses? Press to tick or untick."),
    "fields": N_("🛠 Which course fields? Press to tick or untick."),
    "since_days": N_("🗓 Registered since when?"),
}
SINCE_LABELS = {
    0: N_("Any time"), 7: N_("The last 7 days"), 30: N_("The last 30 days"),
    90: N_("The last 90 days"),
}


def service(manager: DialogManager) -> BroadcastService:
    return cast(BroadcastService, manager.middleware_data["broadcast_service"])


def draft_of(manager: DialogManager) -> Draft | None:
    draft = manager.dialog_data.get(DRAFT_KEY)
    return draft if isinstance(draft, dict) else None


def current_problem(manager: DialogManager) -> Problem | None:
    draft = draft_of(manager)
    if draft is None:
        return {"kind": "unsupported"}
    platforms = aud.platforms_of(manager, ctx.settings(manager))
    return problem_of(draft, platforms, profile_of(ctx.bot(manager)))


def _n(value: int) -> str:
    return format_number(value, ctx.locale())


def problem_text(problem: Problem) -> str:
    kind = problem.get("kind")
    if kind == "text_too_long":
        return gettext(
            "This text is too long for one message: it has {length} characters, and a message "
            "may have {limit}. Please shorten it and send it again."
        ).format(length=_n(problem["length"]), limit=_n(problem["limit"]))
    if kind == "caption_too_long":
        return gettext(
            "This caption is too long: it has {length} characters, and a caption may have "
            "{limit}. Please shorten it, or send the text alone."
        ).format(length=_n(problem["length"]), limit=_n(problem["limit"]))
    if kind == "photo_too_big":
        return gettext(
            "This photo is too large for {messenger} (up to {limit} MB). Please send it as a "
            "file (document), or send a smaller photo."
        ).format(messenger=gettext(PLATFORM_NAMES.get(problem.get("platform", ""), "")),
                 limit=_n(int(problem["limit"]) // MB))
    if kind == "file_too_big":
        return gettext("This file is too large: up to {limit} MB can be sent.").format(
            limit=_n(int(problem["limit"]) // MB))
    if kind == "download_failed":
        return gettext("I could not get the file from the messenger. Please send it again.")
    if kind == "empty":
        return gettext("Nobody matches this audience. Please change it.")
    return gettext("Please send a text, a photo or a document (a caption may go with it).")


def _notice(manager: DialogManager) -> str:
    notice = manager.dialog_data.get(NOTICE_KEY)
    return problem_text(notice) if isinstance(notice, dict) else ""


async def compose_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    return {"notice": _notice(dialog_manager), "has_draft": draft_of(dialog_manager) is not None}


async def audience_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    manager = dialog_manager
    settings = ctx.settings(manager)
    locale = ctx.locale()
    registry = ctx.applications(manager).registry
    everyone = gettext("everyone")
    platforms = aud.chosen(manager, "platforms")
    programs = [program_name(registry.get(p), locale, p, short=True)
                for p in aud.chosen(manager, "programs")]
    count = await service(manager).count(aud.audience_filter(manager, settings))
    return {
        "notice": _notice(manager),
        "messenger": join_words([gettext(PLATFORM_NAMES[p]) for p in platforms if
                                 p in PLATFORM_NAMES], locale) or gettext("all"),
        "provinces": join_words(aud.chosen(manager, "provinces"), locale) or everyone,
        "programs": join_words(programs, locale) or everyone,
        "statuses": join_words([status_label(s) for s in aud.chosen(manager, "statuses")],
                               locale) or everyone,
        "fields": join_words(aud.chosen(manager, "fields"), locale) or everyone,
        "since": gettext(SINCE_LABELS[aud.since_days(manager)]),
        "count": _n(count),
        "several_messengers": len(settings.configured_platforms) > 1,
    }


async def facet_options(manager: DialogManager, facet: str) -> list[tuple[str, str]]:
    """(label, id) of every choice of one part of the audience."""
    if facet == "platforms":
        return [(gettext("All messengers"), "")] + [
            (gettext(PLATFORM_NAMES[p]), p) for p in ctx.settings(manager).configured_platforms
        ]
    if facet == "provinces":
        return [(name, name) for name in PROVINCES]
    if facet == "programs":
        locale = ctx.locale()
        return [(program_name(p, locale, short=True), p.id)
                for p in ctx.applications(manager).registry]
    if facet == "statuses":
        return [(status_label(s), s.value) for s in Status if s is not Status.DRAFT]
    if facet == "fields":
        return [(name, name) for name in await ctx.catalog(manager).clusters()]
    if facet == "since_days":
        return [(gettext(SINCE_LABELS[d]), str(d)) for d in aud.SINCE_DAYS]
    return []


def _is_on(manager: DialogManager, facet: str, option: str) -> bool:
    if facet == "since_days":
        return option == str(aud.since_days(manager))
    values = aud.chosen(manager, facet)
    return option in values if option else not values


async def pick_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    facet = str(dialog_manager.dialog_data.get(FACET_KEY) or "")
    multi = facet in aud.MULTI_FACETS
    on, off = ("✅ ", "▫️ ") if multi else ("🔘 ", "⚪️ ")
    items = [
        ((on if _is_on(dialog_manager, facet, option) else off) + label, option or "-")
        for label, option in await facet_options(dialog_manager, facet)
    ]
    return {
        "title": gettext(FACET_TITLES.get(facet, "")) if facet in FACET_TITLES else "",
        "options": items,
        "multi": multi,
    }


async def preview_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    manager = dialog_manager
    problem = current_problem(manager)
    count = await service(manager).count(aud.audience_filter(manager, ctx.settings(manager)))
    return {
        "notice": _notice(manager),
        "problem": problem_text(problem) if problem else "",
        "count": _n(count),
        "empty": count == 0,
        "can_send": count > 0 and problem is None,
    }
