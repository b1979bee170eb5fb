"""Buttons of the staff screens: queue pages, application cards, documents.

Every button names an object by id only; handlers re-check through the services that the
presser is staff and may see it (a forged id for another province is refused there)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext

from bot.keyboards.broadcasts import BroadcastCb
from bot.keyboards.job_leads import JobLeadFormCb, JobLeadStaffCb
from bot.keyboards.staff_exams import ExamFormCb


class StaffQueueCb(CallbackData, prefix="stq"):
    page: int


class StaffAppCb(CallbackData, prefix="sta"):
    # open | take | accept_all | approve | reject | request | enrolled | completed; `sure`
    # confirms a step that tells the beneficiary something (approve, enrolled, completed).
    action: str
    app: int
    sure: bool = False


class StaffDocCb(CallbackData, prefix="std"):
    action: str  # view | accept | reject
    doc: int
    app: int  # only to redraw its card; the service authorizes by the document itself


class StaffKindCb(CallbackData, prefix="stk"):
    """Toggles a document kind in a request; an empty kind means «done, ask for the note».
    `mode` answers whether files already received stay: add | replace (empty: not asked yet)."""

    app: int
    kind: str = ""
    mode: str = ""


class StaffInputCb(CallbackData, prefix="sti"):
    action: str  # skip (no note) | cancel


STAFF_PREFIXES = frozenset(
    cls.__prefix__
    for cls in (
        StaffQueueCb, StaffAppCb, StaffDocCb, StaffKindCb, StaffInputCb, BroadcastCb, ExamFormCb,
        JobLeadFormCb, JobLeadStaffCb,
    )
)


def button(text: str, data: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def markup(rows: Iterable[Sequence[InlineKeyboardButton]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[list(row) for row in rows if row])


def queue_keyboard(
    items: Sequence[tuple[int, str]], page: int, *, has_next: bool
) -> InlineKeyboardMarkup:
    """One button per application (id, label), then the page arrows."""
    rows = [[button(label, StaffAppCb(action="open", app=app_id))] for app_id, label in items]
    arrows = []
    if page > 0:
        arrows.append(button(gettext("◀️ Newer"), StaffQueueCb(page=page - 1)))
    if has_next:
        arrows.append(button(gettext("Older ▶️"), StaffQueueCb(page=page + 1)))
    rows.append(arrows)
    rows.append([button(gettext("🔄 Refresh"), StaffQueueCb(page=page))])
    return markup(rows)


def confirm_keyboard(action: str, app_id: int, yes_label: str) -> InlineKeyboardMarkup:
    return markup([
        [button(yes_label, StaffAppCb(action=action, app=app_id, sure=True))],
        [button(gettext("↩️ Back to the application"), StaffAppCb(action="open", app=app_id))],
    ])


def input_keyboard(*, can_skip: bool) -> InlineKeyboardMarkup:
    rows = []
    if can_skip:
        rows.append([button(gettext("➖ No note"), StaffInputCb(action="skip"))])
    rows.append([button(gettext("✖️ Cancel"), StaffInputCb(action="cancel"))])
    return markup(rows)


def kinds_keyboard(
    app_id: int, kinds: Sequence[tuple[str, str]], chosen: Iterable[str]
) -> InlineKeyboardMarkup:
    """The program's document kinds (kind, name) to tick for a request."""
    picked = set(chosen)
    rows = [
        [button(("☑️ " if kind in picked else "⬜️ ") + name, StaffKindCb(app=app_id, kind=kind))]
        for kind, name in kinds
    ]
    if picked:
        rows.append([button(gettext("➡️ Continue"), StaffKindCb(app=app_id))])
    rows.append([button(gettext("↩️ Back to the application"),
                        StaffAppCb(action="open", app=app_id))])
    return markup(rows)


def keep_or_replace_keyboard(app_id: int, *, can_add: bool) -> InlineKeyboardMarkup:
    """Files of a requested kind are already in: add to them (if there is room), or replace."""
    add = button(gettext("➕ Keep them, ask for more"), StaffKindCb(app=app_id, mode="add"))
    return markup([
        [add] if can_add else [],
        [button(gettext("🔁 Replace them"), StaffKindCb(app=app_id, mode="replace"))],
        [button(gettext("↩️ Back to the application"), StaffAppCb(action="open", app=app_id))],
    ])
