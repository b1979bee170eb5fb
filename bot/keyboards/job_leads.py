"""The job leads' buttons (short prefixes: Telegram caps callback data at 64 bytes). Every press
is re-checked by services/job_leads: a lead id here proves nothing."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class JobInterestCb(CallbackData, prefix="jint"):
    """«🙋 I'm interested» under a lead."""

    lead_id: int


class JobPageCb(CallbackData, prefix="jpg"):
    """A page of «💼 Job leads»."""

    page: int


class JobChoiceCb(CallbackData, prefix="jch"):
    """A job-lead choice on the notifications screen: `what` is "digest" or "move"."""

    what: str
    value: bool


class JobLeadFormCb(CallbackData, prefix="jlf"):
    """The administrator's lead form: post or cancel the draft shown (staff prefix)."""

    action: str


class JobLeadStaffCb(CallbackData, prefix="jls"):
    """A lead in the staff's list: show its interested people or export them, or withdraw it
    (asked, then confirmed or kept) (staff prefix)."""

    action: str  # "people" | "csv" | "close" | "close_yes" | "close_no"
    lead_id: int
