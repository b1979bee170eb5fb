"""Course screen callbacks: read the tap or the text, ask CatalogService, move the screen.

Button data is never trusted: a course code is re-read from the catalog, an index or a choice is
checked against the allowed values, and anything else is ignored or answered with a notice."""

from __future__ import annotations

from typing import Any

from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import DialogManager
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button

from bot.dialogs import context as ctx
from bot.dialogs.courses.dialog_data import (
    BACK_KEY,
    CODE_KEY,
    PAGE_KEY,
    START_KEYS,
    current_code,
    current_filter,
    current_page,
    set_filter,
    set_notice,
)
from bot.dialogs.courses.getters import (
    CLUSTERS_PER_PAGE,
    MONTH_CHOICES,
    PROVINCES_PER_PAGE,
    SPELLINGS_KEY,
    cluster_key,
    pages_of,
)
from bot.dialogs.courses.states import CoursesSG
from bot.platforms.profiles import start_link
from bot.texts.courses import share_text
from services.catalog import CENTER_TYPES, CourseFilter, SearchProblem, is_course_code_shaped
from services.provinces import PROVINCES

COURSE_LINK_PREFIX = "course_"

# Widget ids the callbacks below tell apart (tests press them by these names too).
PREV_PAGE = "prev"
NEXT_PAGE = "next"
# The «۲ از ۴» button between the arrows: a button that does nothing is a dead end; it goes home.
FIRST_PAGE = "first"
PROVINCE_PICKER = "pp"  # a picker's page buttons are picker_page_id(picker, PREV/NEXT_PAGE)
CLUSTER_PICKER = "cp"
HAMNAVA_ONLY = "f_hamnava"
KARAFAN_ONLY = "f_karafan"
DORMITORY_ONLY = "f_dorm"
GOVERNMENT_CENTERS = "f_gov"
PRIVATE_INSTITUTES = "f_priv"
# Kept in the dialog state; the service cuts longer queries anyway.
MAX_STORED_QUERY_CHARS = 100


async def on_dialog_start(start_data: Any, manager: DialogManager) -> None:
    if isinstance(start_data, dict):
        manager.dialog_data.update({k: start_data[k] for k in START_KEYS if k in start_data})


# --- the list ---

async def on_course(_c: CallbackQuery, _w: Any, manager: DialogManager, item_id: str) -> None:
    await open_card(manager, item_id, back_to=CoursesSG.listing)


async def on_saved_course(
    _c: CallbackQuery, _w: Any, manager: DialogManager, item_id: str
) -> None:
    await open_card(manager, item_id, back_to=CoursesSG.saved)


async def open_card(manager: DialogManager, code: str, *, back_to: State) -> None:
    """Show the card of `code` (any status); a course gone since the list was drawn -> notice."""
    card = None
    if is_course_code_shaped(code):
        card = await ctx.catalog(manager).card(code, ctx.today(manager))
    if card is None:
        set_notice(manager, "course_gone")
        await manager.switch_to(back_to)
        return
    manager.dialog_data[CODE_KEY] = card.code
    manager.dialog_data[BACK_KEY] = "saved" if back_to == CoursesSG.saved else "listing"
    await manager.switch_to(CoursesSG.card)


async def on_page(_c: CallbackQuery, button: Button, manager: DialogManager) -> None:
    if button.widget_id == FIRST_PAGE:
        manager.dialog_data[PAGE_KEY] = 0
        return
    step = 1 if button.widget_id == NEXT_PAGE else -1
    # The getter asks the service, which clamps a page past the end to the last page.
    manager.dialog_data[PAGE_KEY] = max(current_page(manager) + step, 0)


async def on_clear_filters(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    set_filter(manager, CourseFilter())


# --- the filters screen ---

TOGGLES = {
    HAMNAVA_ONLY: "hamnava_only", KARAFAN_ONLY: "karafan_only", DORMITORY_ONLY: "dormitory_only"
}
CENTER_BUTTONS = {GOVERNMENT_CENTERS: "government", PRIVATE_INSTITUTES: "private"}


async def on_toggle(_c: CallbackQuery, button: Button, manager: DialogManager) -> None:
    name = TOGGLES.get(button.widget_id or "")
    if name is None:
        return
    flt = current_filter(manager)
    set_filter(manager, flt.replace(**{name: not getattr(flt, name)}))


async def on_center_type(_c: CallbackQuery, button: Button, manager: DialogManager) -> None:
    center_type = CENTER_BUTTONS.get(button.widget_id or "")
    if center_type not in CENTER_TYPES:
        return
    flt = current_filter(manager)
    chosen = None if flt.center_type == center_type else center_type
    set_filter(manager, flt.replace(center_type=chosen))


async def on_months(_c: CallbackQuery, _w: Any, manager: DialogManager, item_id: str) -> None:
    if not item_id.isdigit() or int(item_id) not in MONTH_CHOICES:
        return
    flt = current_filter(manager)
    months = None if flt.starts_within_months == int(item_id) else int(item_id)
    set_filter(manager, flt.replace(starts_within_months=months))


# --- province and field pickers ---

async def on_province(_c: CallbackQuery, _w: Any, manager: DialogManager, item_id: str) -> None:
    if not item_id.isdigit() or int(item_id) >= len(PROVINCES):
        return
    await _pick_province(manager, PROVINCES[int(item_id)])


async def on_all_provinces(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    await _pick_province(manager, None)


async def _pick_province(manager: DialogManager, province: str | None) -> None:
    set_filter(manager, current_filter(manager).replace(province=province))
    manager.dialog_data.pop("province_page", None)
    manager.dialog_data.pop("cluster_page", None)
    await manager.switch_to(CoursesSG.filters)


async def on_cluster(_c: CallbackQuery, _w: Any, manager: DialogManager, item_id: str) -> None:
    flt = current_filter(manager)
    names = await ctx.catalog(manager).clusters(flt.province)
    chosen = next((name for name in names if cluster_key(name) == item_id), None)
    if chosen is None:
        return  # an old or forged button: the picker is drawn again as it is now
    await _pick_cluster(manager, chosen)


async def on_all_clusters(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    await _pick_cluster(manager, None)


async def _pick_cluster(manager: DialogManager, cluster: str | None) -> None:
    set_filter(manager, current_filter(manager).replace(cluster=cluster))
    manager.dialog_data.pop("cluster_page", None)
    await manager.switch_to(CoursesSG.filters)


def picker_page_id(picker: str, direction: str) -> str:
    return f"{picker}_{direction}"


async def on_picker_page(_c: CallbackQuery, button: Button, manager: DialogManager) -> None:
    picker, _, direction = (button.widget_id or "").partition("_")
    if picker == PROVINCE_PICKER:
        key, pages = "province_page", pages_of(len(PROVINCES), PROVINCES_PER_PAGE)
    else:
        flt = current_filter(manager)
        count = len(await ctx.catalog(manager).clusters(flt.province))
        key, pages = "cluster_page", pages_of(count, CLUSTERS_PER_PAGE)
    page = manager.dialog_data.get(key)
    page = page if isinstance(page, int) else 0
    if direction == FIRST_PAGE:
        manager.dialog_data[key] = 0
        return
    manager.dialog_data[key] = (page + (1 if direction == NEXT_PAGE else -1)) % pages


# --- search ---

async def on_search_text(message: Message, _w: MessageInput, manager: DialogManager) -> None:
    if not message.text:
        set_notice(manager, "search_need_text")
        return
    if ctx.catalog(manager).check_query(message.text) is SearchProblem.EMPTY:
        set_notice(manager, "search_empty")
        return
    query = message.text.strip()[:MAX_STORED_QUERY_CHARS]
    set_filter(manager, current_filter(manager).replace(query=query))
    await manager.switch_to(CoursesSG.listing)


async def on_spelling(_c: CallbackQuery, _w: Any, manager: DialogManager, item_id: str) -> None:
    spellings = manager.dialog_data.get(SPELLINGS_KEY)
    if not item_id.isdigit() or not isinstance(spellings, list):
        return
    if int(item_id) >= len(spellings) or not isinstance(spellings[int(item_id)], str):
        return
    query = spellings[int(item_id)][:MAX_STORED_QUERY_CHARS]
    set_filter(manager, current_filter(manager).replace(query=query))


async def on_clear_filters_keep_search(
    _c: CallbackQuery, _b: Button, manager: DialogManager
) -> None:
    set_filter(manager, CourseFilter(query=current_filter(manager).query))


async def on_browse_fields(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    """The field picker, without the words that found nothing."""
    set_filter(manager, current_filter(manager).replace(query="", cluster=None))
    manager.dialog_data.pop("cluster_page", None)
    await manager.switch_to(CoursesSG.clusters)


async def on_clear_search(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    set_filter(manager, current_filter(manager).replace(query=""))
    await manager.switch_to(CoursesSG.listing)


# --- the card ---

async def on_save(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    code = current_code(manager)
    person_id = ctx.person_id(manager)
    if code is None or not await ctx.catalog(manager).save(person_id, code):
        await _course_gone(manager)


async def on_unsave(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    code = current_code(manager)
    if code is not None:
        await ctx.catalog(manager).unsave(ctx.person_id(manager), code)


async def on_share(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    """Send a plain summary with a link the person can forward; the link opens this card."""
    code = current_code(manager)
    card = await ctx.catalog(manager).card(code, ctx.today(manager)) if code else None
    if card is None:
        await _course_gone(manager)
        return
    bot = ctx.bot(manager)
    me = await bot.me()
    link = start_link(bot, me.username or "", COURSE_LINK_PREFIX + card.code)
    if isinstance(callback.message, Message):
        await callback.message.answer(share_text(card, link, ctx.locale()))


async def on_card_back(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    back = manager.dialog_data.get(BACK_KEY)
    await manager.switch_to(CoursesSG.saved if back == "saved" else CoursesSG.listing)


async def _course_gone(manager: DialogManager) -> None:
    set_notice(manager, "course_gone")
    await manager.switch_to(CoursesSG.listing)
