"""What a course screen keeps between taps, in dialog_data (small: the filter as a dict, a page,
a code). Services, the person and today come from bot.dialogs.context."""

from __future__ import annotations

from aiogram_dialog import DialogManager

from services.catalog import CourseFilter

FILTER_KEY = "filter"
PAGE_KEY = "page"
CODE_KEY = "code"  # the course on the card
BACK_KEY = "back_to"  # "listing" or "saved": where the card's back button goes
NOTICE_KEY = "notice"  # a bot.dialogs.courses.texts.NOTICES code, shown once
# The code of a course a link named that is closed: the list offers to wait for it.
CLOSED_LINK_KEY = "closed_link_code"
START_KEYS = (FILTER_KEY, PAGE_KEY, CODE_KEY, BACK_KEY, NOTICE_KEY, CLOSED_LINK_KEY)


def current_filter(manager: DialogManager) -> CourseFilter:
    return CourseFilter.from_dict(manager.dialog_data.get(FILTER_KEY))


def set_filter(manager: DialogManager, flt: CourseFilter) -> None:
    """A changed filter starts again from the first page."""
    manager.dialog_data[FILTER_KEY] = flt.to_dict()
    manager.dialog_data[PAGE_KEY] = 0


def current_page(manager: DialogManager) -> int:
    page = manager.dialog_data.get(PAGE_KEY, 0)
    return page if isinstance(page, int) and page >= 0 else 0


def current_code(manager: DialogManager) -> str | None:
    code = manager.dialog_data.get(CODE_KEY)
    return code if isinstance(code, str) else None


def set_notice(manager: DialogManager, code: str) -> None:
    manager.dialog_data[NOTICE_KEY] = code


def pop_notice(manager: DialogManager) -> str | None:
    notice = manager.dialog_data.pop(NOTICE_KEY, None)
    return notice if isinstance(notice, str) else None
