"""What the apply form keeps between taps, in dialog_data and start data: the application on
screen (its id only: the application is re-read, and re-checked as this person's own, whenever
it is needed), where the form stands, and the notice for the next screen. My file keeps the
same application and notices (through applications/entry.py).
Services, the person and today come from bot.dialogs.context."""

from __future__ import annotations

from typing import Any

from aiogram_dialog import DialogManager

from bot.dialogs import context as ctx
from services.applications import ApplicationView
from services.programs import AnswerError, Program

APP_KEY = "app_id"
QUESTION_KEY = "q"
EDITING_KEY = "editing"
KIND_KEY = "kind"
PROGRAM_KEY = "program_id"
SCOPE_KEY = "scope"  # "mine" (own province) or "all"
PAGE_KEY = "page"
UNMET_KEY = "unmet"  # UnmetRule.to_dict() of each rule the person does not meet
DISCARD_KEY = "discard_id"
NOTICE_KEY = "notice"  # {"family", "code", "params"}: worded by texts.notice_text
COURSE_KEY = "course"  # start data: the course the person came from (a course card)
PROGRAM_START_KEY = "program"  # start data: continue this program's draft (from My file)


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


def start_course(manager: DialogManager) -> str | None:
    return _start_value(manager, COURSE_KEY)


def start_program(manager: DialogManager) -> str | None:
    return _start_value(manager, PROGRAM_START_KEY)


def _start_value(manager: DialogManager, key: str) -> str | None:
    data = manager.start_data if isinstance(manager.start_data, dict) else {}
    value = data.get(key)
    return value if isinstance(value, str) else None


# --- the notice on top of the next screen (worded at render time by texts.notice_text) ---------

def set_notice(manager: DialogManager, code: str, **params: Any) -> None:
    manager.dialog_data[NOTICE_KEY] = {"family": "message", "code": code, "params": params}


def set_answer_error(manager: DialogManager, error: AnswerError) -> None:
    manager.dialog_data[NOTICE_KEY] = {
        "family": "answer", "code": error.code, "params": dict(error.params)
    }


def set_plain_answer_error(manager: DialogManager, code: str) -> None:
    manager.dialog_data[NOTICE_KEY] = {"family": "answer", "code": code, "params": {}}


def set_upload_notice(manager: DialogManager, code: str, kind: str) -> None:
    manager.dialog_data[NOTICE_KEY] = {"family": "upload", "code": code, "params": {"kind": kind}}


def clear_notice(manager: DialogManager) -> None:
    manager.dialog_data.pop(NOTICE_KEY, None)
