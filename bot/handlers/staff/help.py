"""The staff part of /help: only staff see it, administrators see the staff-management lines."""

from __future__ import annotations

from aiogram.utils.i18n import gettext

from services.staff import StaffMember
from services.text import isolate_commands

STAFF_COMMANDS = (
    "queue", "addcaseworker", "removestaff", "staff", "broadcast", "broadcasts",
    "bindchat", "unbindchat", "chats", "close", "note", "assign", "canned", "ban", "unban",
    "link", "keepapart",
    "newexam", "exams", "exam", "moveexam", "cancelexam", "attended", "result", "certificate",
    "import_exams", "joblead", "jobleads", "closelead", "importleads", "dashboard", "stats",
)


def staff_help_text(staff: StaffMember) -> str:
    lines = [
        gettext("Staff commands:"),
        gettext("• /queue — applications waiting for review in your provinces, oldest first"),
        gettext("• /queue HMN-1405-000123 — open one application by its tracking code"),
        gettext("• /dashboard — a one-time link to the web dashboard; /stats — its figures "
                "as a picture (in a private chat)"),
    ]
    lines += [
        gettext("• In the staff group, reply to a beneficiary's message (🎫) to answer them"),
        gettext("• /close (as a reply) — end that conversation; /note text (as a reply) — a note "
                "the beneficiary does not see"),
        gettext("• /assign (as a reply) — take that conversation; /assign telegram:123 — give it "
                "to a caseworker of its province"),
        gettext("• /canned — the saved replies; /canned KEY (as a reply) — send one"),
        gettext("• /ban reason (as a reply) — stop relaying that beneficiary's messages (they are "
                "kept); /unban undoes it"),
        gettext("• /profile, /history (as a reply) — the beneficiary's card and the messages "
                "so far"),
        gettext("• In a forum group each conversation has its own topic: write there, no reply "
                "needed"),
        gettext("• /keepapart reason (as a reply to a registration conflict) — keep the two "
                "registrations apart; /link reason — join them (administrators only)"),
        gettext("• /jobleads — the latest job leads, who is interested, CSV export"),
    ]
    lines += [
        gettext("• /newexam — create an exam session (a form); /exams — the sessions ahead; "
                "/exam 12 — who answered what"),
        gettext("• /moveexam 12 1405/10/20 9:30 — move a session; /cancelexam 12 — cancel it"),
        gettext("• /attended 12 HMN-1405-000123 yes — mark attendance; /result 12 "
                "HMN-1405-000123 pass 85 — enter a result"),
        gettext("• /certificate HMN-1405-000123 NUMBER — issue a certificate after a passed "
                "practical exam"),
    ]
    if staff.is_admin:
        lines += [
            gettext("• A .csv or .xlsx file with the caption /import_exams — import exam "
                    "sessions or results"),
            gettext("• /addcaseworker platform:number [provinces] — add a caseworker, e.g. "
                    "/addcaseworker telegram:123456 تهران، البرز (no provinces = all)"),
            gettext("• /removestaff platform:number — remove every staff role of an account"),
            gettext("• /staff — list staff members"),
            gettext("• /broadcast — send a message to beneficiaries (all, or by province, "
                    "program, status, course field)"),
            gettext("• /broadcasts — recent broadcasts; pause, resume or cancel a running one"),
            gettext("• /bindchat تهران، البرز — in a group: it serves these provinces' "
                    "beneficiaries; /unbindchat undoes it; /chats lists the groups"),
            gettext("• /joblead — post a job lead (a short form); a .csv/.xlsx file with the "
                    "caption /importleads posts many"),
            gettext("• /closelead 12 — withdraw a job lead (or «🚫 Close» under /jobleads)"),
        ]
    lines.append(gettext("A reason or note is typed after pressing its button; /cancel stops it."))
    return isolate_commands("\n".join(lines))
