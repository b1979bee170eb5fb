"""Ways into the course screens: the main-menu button and `/start course_<code>` links.

Browsing needs no registration. The first list shows the person's own province (from the
registered profile); someone without one sees every province and can pick one in the filters."""

from __future__ import annotations

from typing import Any

from aiogram import Router
from aiogram_dialog import DialogManager, ShowMode, StartMode

from bot.dialogs import context as ctx
from bot.dialogs.courses.dialog_data import (
    CLOSED_LINK_KEY,
    CODE_KEY,
    FILTER_KEY,
    NOTICE_KEY,
    current_code,
)
from bot.dialogs.courses.handlers import COURSE_LINK_PREFIX
from bot.dialogs.courses.states import CoursesSG
from bot.dialogs.entry import menu_entry_router
from bot.keyboards.main_menu import MenuItem
from services.catalog import CourseFilter, is_course_code_shaped
from services.provinces import canonical_province
from services.registration import RegistrationService


def build_courses_menu_router() -> Router:
    return menu_entry_router(__name__, MenuItem.COURSES, "courses", open_courses)


async def home_province(registration_service: RegistrationService, person_id: int) -> str | None:
    profile = await registration_service.load_profile(person_id)
    if profile is None or not profile.province:
        return None
    return canonical_province(profile.province)


async def open_courses(
    manager: DialogManager,
    *,
    notice: str | None = None,
    code: str | None = None,
    listing: CourseFilter | None = None,
    closed_code: str | None = None,
) -> None:
    """The list (or the card of `code`, whose back button leads to the list) filtered by
    `listing`; by default, the person's province."""
    if listing is None:
        province = await home_province(ctx.registration(manager), ctx.person_id(manager))
        listing = CourseFilter(province=province)
    data: dict[str, Any] = {FILTER_KEY: listing.to_dict()}
    if notice:
        data[NOTICE_KEY] = notice
    if code:
        data[CODE_KEY] = code
    if closed_code:
        data[CLOSED_LINK_KEY] = closed_code
    state = CoursesSG.card if code else CoursesSG.listing
    await manager.start(state, data=data, mode=StartMode.RESET_STACK, show_mode=ShowMode.SEND)


def course_on_card(manager: DialogManager) -> str | None:
    """For buttons other features put on the card (card_actions): the course it shows. Re-check
    it with the service: the button may be old or forged."""
    return current_code(manager)


def is_course_link(payload: str | None) -> bool:
    return bool(payload) and str(payload).startswith(COURSE_LINK_PREFIX)


async def open_course_link(manager: DialogManager, payload: str) -> None:
    """`/start course_<code>`: the card of an open course; otherwise a clear word and the list."""
    code = payload[len(COURSE_LINK_PREFIX):]
    if not is_course_code_shaped(code):
        await open_courses(manager, notice="link_invalid")
        return
    card = await ctx.catalog(manager).card(code, ctx.today(manager))
    if card is None:
        await open_courses(manager, notice="link_unknown")
    elif not card.applicable:
        # Full or started: the list of the province, with «🔔 Tell me when it opens again».
        await open_courses(manager, notice="link_closed", closed_code=card.code)
    else:
        await open_courses(manager, code=card.code)
