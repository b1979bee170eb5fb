"""What each course screen shows, computed at render time in the reader's language."""

from __future__ import annotations

import zlib
from typing import Any

from aiogram.utils.i18n import gettext
from aiogram_dialog import DialogManager

from bot.dialogs import context as ctx
from bot.dialogs.courses.dialog_data import (
    CLOSED_LINK_KEY,
    PAGE_KEY,
    current_code,
    current_filter,
    current_page,
    pop_notice,
)
from bot.dialogs.courses.texts import filter_summary, notice_text, shown_query
from bot.texts.courses import course_button_label, course_card_text
from services.catalog import PAGE_SIZE, CourseFilter
from services.provinces import PROVINCES
from services.text import localize_digits

PROVINCES_PER_PAGE = 10
CLUSTERS_PER_PAGE = 10
MONTH_CHOICES = (1, 3, 6)
SAVED_SHOWN = 30
# dialog_data: the nearby spellings the empty search list offers, in button order.
SPELLINGS_KEY = "spellings"
ON, OFF = "✅", "▫️"


def cluster_key(name: str) -> str:
    """A short stable id for a cluster name (names are too long for callback data)."""
    return format(zlib.crc32(name.encode("utf-8")), "08x")


def pages_of(count: int, per_page: int) -> int:
    return max(1, (count + per_page - 1) // per_page)


def page_label(page: int, pages: int, locale: str) -> str:
    return gettext("Page {page} of {pages}").format(
        page=localize_digits(str(page + 1), locale), pages=localize_digits(str(pages), locale)
    )


def _mark(on: bool) -> str:
    return ON if on else OFF


async def listing_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    locale = ctx.locale()
    flt = current_filter(dialog_manager)
    result = await ctx.catalog(dialog_manager).list_page(
        flt, current_page(dialog_manager), ctx.today(dialog_manager)
    )
    # The service clamps a page past the end (courses removed meanwhile) to the last one.
    dialog_manager.dialog_data[PAGE_KEY] = result.page
    number = localize_digits(str(result.page + 1), locale)
    if result.total is not None and not result.total_is_capped:
        page_line = gettext("Page {page} of {pages} · open courses: {count}").format(
            page=number,
            pages=localize_digits(str(pages_of(result.total, PAGE_SIZE)), locale),
            count=localize_digits(str(result.total), locale),
        )
    else:
        page_line = gettext("Page {page}").format(page=number)
    has_items = bool(result.items)
    filtered = flt != CourseFilter()
    # The person's own province is the default, not a choice to undo; an empty list is, though.
    chosen = flt.replace(province=None) != CourseFilter() or (filtered and not has_items)
    return {
        **await _search_help(dialog_manager, flt, has_items, locale),
        "notice": notice_text(pop_notice(dialog_manager)),
        "summary": filter_summary(flt, locale),
        "courses": [(course_button_label(item, locale), item.code) for item in result.items],
        "has_items": has_items,
        "empty": not has_items,
        "closed_link": bool(dialog_manager.dialog_data.get(CLOSED_LINK_KEY)),
        "empty_filtered": not has_items and filtered,
        "can_clear": chosen,
        "page_line": page_line,
        # The button between the arrows: the way back to the start of a long list.
        "first_page": gettext("Page {page}").format(page=localize_digits("1", locale)),
        "has_prev": result.has_prev,
        "has_next": result.has_next,
        "paged": result.has_prev or result.has_next,
    }


async def _search_help(
    manager: DialogManager, flt: CourseFilter, has_items: bool, locale: str
) -> dict[str, Any]:
    """What an empty search list offers: nearby spellings, the filters' share, fields."""
    if has_items or not flt.query:
        manager.dialog_data.pop(SPELLINGS_KEY, None)
        return {"search_empty": False, "spellings": [], "has_spellings": False,
                "without_filters_line": ""}  # fmt: skip
    found = await ctx.catalog(manager).search_help(flt, ctx.today(manager))
    # The handler reads a tapped spelling back by its number: callback data stays short.
    manager.dialog_data[SPELLINGS_KEY] = found.spellings
    line = ""
    if found.more_without_filters:
        line = gettext("Without the filters, many courses match these words.")
    elif found.without_filters:
        line = gettext("Without the filters, {count} courses match these words.").format(
            count=localize_digits(str(found.without_filters), locale)
        )
    return {
        "search_empty": True,
        "spellings": [("🔎 " + word, str(index)) for index, word in enumerate(found.spellings)],
        "has_spellings": bool(found.spellings),
        "without_filters_line": line,
    }


async def filters_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    locale = ctx.locale()
    flt = current_filter(dialog_manager)
    months = [
        (
            _mark(flt.starts_within_months == n)
            + " "
            + gettext("📅 {months} mo.").format(months=localize_digits(str(n), locale)),
            str(n),
        )
        for n in MONTH_CHOICES
    ]
    return {
        "summary": filter_summary(flt, locale),
        "province_label": flt.province or gettext("All provinces"),
        "cluster_label": flt.cluster or gettext("All fields"),
        "m_gov": _mark(flt.center_type == "government"),
        "m_priv": _mark(flt.center_type == "private"),
        "m_hamnava": _mark(flt.hamnava_only),
        "m_karafan": _mark(flt.karafan_only),
        "m_dorm": _mark(flt.dormitory_only),
        "months": months,
    }


async def provinces_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    locale = ctx.locale()
    flt = current_filter(dialog_manager)
    pages = pages_of(len(PROVINCES), PROVINCES_PER_PAGE)
    page = _picker_page(dialog_manager, "province_page", pages, _index_of(flt.province))
    first = page * PROVINCES_PER_PAGE
    return {
        "m_all": _mark(flt.province is None),
        "provinces": [
            ((f"{ON} " if name == flt.province else "") + name, str(index))
            for index, name in enumerate(PROVINCES)
            if first <= index < first + PROVINCES_PER_PAGE
        ],
        "province_page": page_label(page, pages, locale),
    }


async def clusters_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    locale = ctx.locale()
    flt = current_filter(dialog_manager)
    names = await ctx.catalog(dialog_manager).clusters(flt.province)
    pages = pages_of(len(names), CLUSTERS_PER_PAGE)
    selected = names.index(flt.cluster) if flt.cluster in names else None
    page = _picker_page(dialog_manager, "cluster_page", pages, selected, per=CLUSTERS_PER_PAGE)
    first = page * CLUSTERS_PER_PAGE
    return {
        "m_all": _mark(flt.cluster is None),
        "clusters": [
            ((f"{ON} " if name == flt.cluster else "") + name, cluster_key(name))
            for name in names[first : first + CLUSTERS_PER_PAGE]
        ],
        "no_clusters": not names,
        "cluster_paged": pages > 1,
        "cluster_page": page_label(page, pages, locale),
    }


def _index_of(province: str | None) -> int | None:
    return PROVINCES.index(province) if province in PROVINCES else None


def _picker_page(
    manager: DialogManager,
    key: str,
    pages: int,
    selected: int | None,
    per: int = PROVINCES_PER_PAGE,
) -> int:
    """The picker opens on the page of the current choice, then follows the page buttons."""
    page = manager.dialog_data.get(key)
    if not isinstance(page, int):
        page = selected // per if selected is not None else 0
    page %= pages
    manager.dialog_data[key] = page
    return page


async def search_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    flt = current_filter(dialog_manager)
    return {
        "notice": notice_text(pop_notice(dialog_manager)),
        "query": shown_query(flt.query) if flt.query else "",
    }


async def card_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    locale = ctx.locale()
    code = current_code(dialog_manager)
    service = ctx.catalog(dialog_manager)
    card = await service.card(code, ctx.today(dialog_manager)) if code else None
    if card is None:
        # Deleted while the card was open: say so; only the way back is offered.
        return {
            "card_text": notice_text("course_gone"),
            "found": False, "applicable": False, "can_save": False, "is_saved": False,
            "closed": False,
            "course_code": code or "",
        }  # fmt: skip
    saved = await service.is_saved(ctx.person_id(dialog_manager), card.code)
    return {
        "card_text": course_card_text(card, locale),
        "found": True,
        "applicable": card.applicable,
        # Full or started: offer to wait for it (or its standard) to open again.
        "closed": not card.applicable,
        "can_save": not saved,
        "is_saved": saved,
        "course_code": card.code,
    }


async def saved_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    locale = ctx.locale()
    courses = await ctx.catalog(dialog_manager).saved(
        ctx.person_id(dialog_manager), ctx.today(dialog_manager)
    )
    return {
        "notice": notice_text(pop_notice(dialog_manager)),
        "saved": [(course_button_label(c, locale), c.code) for c in courses[:SAVED_SHOWN]],
        "has_saved": bool(courses),
        "none_saved": not courses,
    }
