"""The staff part of /help: only staff see it, administrators see the staff-management lines."""

from __future__ import annotations

from aiogram.utils.i18n import gettext

from services.staff import StaffMember
from services.text import isolate_commands

STAFF_COMMANDS = (
    "queue", "addcaseworker", "removestaff", "staff", "broadcast", "broadcasts",
    "bindchat", "unbindchat", "chats", "close", "note", "link", "keepapart",
)


def staff_help_text(staff: StaffMember) -> str:
    lines = [
        gettext("Staff commands:"),
        gettext("• /queue — applications waiting for review in your provinces, oldest first"),
        gettext("• /queue HMN-1405-000123 — open one application by its tracking code"),
    ]
    lines += [
        gettext("• In the staff group, reply to a beneficiary's message (🎫) to answer them"),
        gettext("• /close (as a reply) — end that conversation; /note text (as a reply) — a note "
                "the beneficiary does not see"),
        gettext("• /keepapart reason (as a reply to a registration conflict) — keep the two "
                "registrations apart; /link reason — join them (administrators only)"),
    ]
    if staff.is_admin:
        lines += [
            gettext("• /addcaseworker platform:number [provinces] — add a caseworker, e.g. "
                    "/addcaseworker telegram:123456 تهران، البرز (no provinces = all)"),
            gettext("• /removestaff platform:number — remove every staff role of an account"),
            gettext("• /staff — list staff members"),
            gettext("• /broadcast — send a message to beneficiaries (all, or by province, "
                    "program, status, course field)"),
            gettext("• /broadcasts — recent broadcasts; pause, resume or cancel a running one"),
            gettext("• /bindchat تهران، البرز — in a group: it serves these provinces' "
                    "beneficiaries; /unbindchat undoes it; /chats lists the groups"),
        ]
    lines.append(gettext("A reason or note is typed after pressing its button; /cancel stops it."))
    return isolate_commands("\n".join(lines))
