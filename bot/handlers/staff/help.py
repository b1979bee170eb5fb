"""The staff part of /help: only staff see it, administrators see the staff-management lines."""

from __future__ import annotations

import time

from aiogram.utils.i18n import gettext

from bot.services.staff import StaffMember, StaffService

STAFF_COMMANDS = ("queue", "addcaseworker", "removestaff", "staff")


class StaffRoster:
    """Which accounts hold a staff role, re-read at most every `ttl_seconds` (one small query).

    Only for deciding whether /help shows the staff lines, so a beneficiary's /help costs no
    query; never used to authorize anything (IsStaff and the services always ask fresh).
    Staff changes made in this process are seen at once (`forget`), other workers' within ttl."""

    def __init__(self, staff: StaffService, ttl_seconds: float = 30.0) -> None:
        self.staff = staff
        self.ttl = ttl_seconds
        self._accounts: frozenset[tuple[str, int]] | None = None
        self._loaded_at = 0.0

    async def may_be_staff(self, platform: str, user_id: int) -> bool:
        if self._accounts is None or time.monotonic() - self._loaded_at > self.ttl:
            members = await self.staff.all_members()
            self._accounts = frozenset((m.platform, m.user_id) for m in members)
            self._loaded_at = time.monotonic()
        return (platform, user_id) in self._accounts

    def forget(self) -> None:
        self._accounts = None


def staff_help_text(staff: StaffMember) -> str:
    lines = [
        gettext("Staff commands:"),
        gettext("• /queue — applications waiting for review in your provinces, oldest first"),
        gettext("• /queue HMN-1405-000123 — open one application by its tracking code"),
    ]
    if staff.is_admin:
        lines += [
            gettext("• /addcaseworker platform:number [provinces] — add a caseworker, e.g. "
                    "/addcaseworker telegram:123456 تهران، البرز (no provinces = all)"),
            gettext("• /removestaff platform:number — remove every staff role of an account"),
            gettext("• /staff — list staff members"),
        ]
    lines.append(gettext("A reason or note is typed after pressing its button; /cancel stops it."))
    return "\n".join(lines)
