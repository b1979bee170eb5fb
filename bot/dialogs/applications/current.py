"""The application on screen, shared by the apply form and My file: its id in dialog_data, and
the application re-read (and re-checked as this person's own) whenever it is needed.
Services, the person and today come from bot.dialogs.context."""

from __future__ import annotations

from aiogram_dialog import DialogManager

from bot.dialogs import context as ctx
from services.applications import ApplicationView
from services.programs import Program

APP_KEY = "app_id"


def app_id(manager: DialogManager) -> int | None:
    value = manager.dialog_data.get(APP_KEY)
    return value if isinstance(value, int) else None


async def own(manager: DialogManager) -> ApplicationView | None:
    """The application on screen, if it is (still) this person's; None otherwise."""
    shown = app_id(manager)
    if shown is None:
        return None
    return await ctx.applications(manager).get_for_person(shown, ctx.person_id(manager))


async def load(manager: DialogManager) -> tuple[ApplicationView, Program] | None:
    """The application on screen with its program; None if either is gone."""
    view = await own(manager)
    program = ctx.applications(manager).registry.get(view.program_id) if view else None
    return (view, program) if view is not None and program is not None else None


def parse_id(text: str) -> int | None:
    """Ids from callback data are never trusted: digits only, bounded."""
    if not text.isdigit() or len(text) > 12:
        return None
    return int(text)
