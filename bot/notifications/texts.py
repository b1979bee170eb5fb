"""Every message a beneficiary gets about a staff decision, in one place.

Rendered inside the recipient's locale (bot.notifications.notifier.Notifier.render), so plain
gettext speaks their language. Short, plain text (Bale has no formatting), what happened first,
then what to do next."""

from __future__ import annotations

from aiogram.utils.i18n import gettext

from bot.i18n import current_locale
from bot.keyboards.main_menu import MenuItem, label
from bot.texts.applications import UNKNOWN_PROGRAM, document_name, program_name, tracking
from bot.texts.courses import course_title
from services.applications import Notification, NotificationKind, Status
from services.catalog import CourseCard
from services.programs import ProgramRegistry
from services.text import join_words


def notice_text(
    notification: Notification, registry: ProgramRegistry, course: CourseCard | None = None
) -> str:
    locale = current_locale()
    params = notification.params
    program_id = params.get("program_id")
    code = tracking(str(params.get("tracking_code") or ""), locale)
    program = program_name(
        registry.get(program_id) if program_id else None, locale, UNKNOWN_PROGRAM
    )
    my_file = label(MenuItem.MY_FILE)

    def doc(kind: object) -> str:
        return document_name(registry, program_id, str(kind), locale)

    kind = notification.kind
    if kind == NotificationKind.UNDER_REVIEW:
        return gettext(
            "🔎 A caseworker is now reviewing your application {code} ({program}). "
            "We will tell you here when there is news."
        ).format(code=code, program=program)
    if kind == NotificationKind.DOCUMENT_ACCEPTED:
        return gettext("✅ Your document «{document}» for application {code} was accepted.").format(
            document=doc(params.get("kind")), code=code
        )
    if kind == NotificationKind.DOCUMENTS_ACCEPTED:
        return "\n".join([
            gettext("✅ These documents of your application {code} were accepted:").format(
                code=code
            ),
            *(f"• {doc(k)}" for k in params.get("kinds") or ()),
        ])
    if kind == NotificationKind.DOCUMENT_REJECTED:
        lines = [
            gettext("⚠️ Your document «{document}» for application {code} was not accepted.")
            .format(document=doc(params.get("kind")), code=code),
            gettext("Reason: {reason}").format(reason=params.get("reason") or "—"),
        ]
        if params.get("status") == Status.NEEDS_DOCUMENTS:
            lines.append(gettext("Please send a new copy: open {my_file}.").format(my_file=my_file))
        else:
            lines.append(gettext("If a new copy is needed, a caseworker will ask you for it here."))
        return "\n".join(lines)
    if kind == NotificationKind.DOCUMENTS_REQUESTED:
        lines = [
            gettext("📎 For your application {code} ({program}) please send:").format(
                code=code, program=program
            ),
            *(f"• {doc(k)}" for k in params.get("kinds") or ()),
        ]
        kept = [str(k) for k in params.get("kept") or ()]
        if kept:
            names = join_words((doc(k) for k in kept), current_locale())
            lines.append(gettext("What you sent of {names} is kept: send the new files in "
                                 "addition.").format(names=names))
        elif params.get("replace"):
            lines.append(gettext("The files you sent of these were set aside: please send "
                                 "them anew."))
        if params.get("note"):
            lines.append(gettext("Note from the caseworker: {note}").format(note=params["note"]))
        lines.append(gettext("Open {my_file} to upload them.").format(my_file=my_file))
        return "\n".join(lines)
    if kind == NotificationKind.APPROVED:
        return _lines([
            gettext("🎉 Your application {code} ({program}) is approved!").format(
                code=code, program=program
            ),
            _course_line(course, locale),
            gettext("Next: the training center will contact you about the start of the course."),
        ])
    if kind == NotificationKind.REJECTED:
        return "\n".join([
            gettext("Your application {code} ({program}) was not approved.").format(
                code=code, program=program
            ),
            gettext("Reason: {reason}").format(reason=params.get("reason") or "—"),
            gettext("You may apply again later with {apply}.").format(apply=label(MenuItem.APPLY)),
        ])
    if kind == NotificationKind.ENROLLED:
        return _lines([
            gettext("🎓 You are now enrolled in your course (application {code}).").format(
                code=code
            ),
            _course_line(course, locale),
            gettext("We wish you success!"),
        ])
    if kind == NotificationKind.COMPLETED:
        return gettext(
            "🏁 Your course for application {code} is marked as completed. Congratulations!"
        ).format(code=code)
    # A kind added to the service later still tells the person something true.
    return gettext("There is news about your application {code}: open {my_file}.").format(
        code=code, my_file=my_file
    )


def _lines(lines: list[str]) -> str:
    return "\n".join(line for line in lines if line)


def _course_line(course: CourseCard | None, locale: str) -> str:
    if course is None:
        return ""
    return gettext("Course: {title} — {center}, {city}").format(
        title=course_title(course, locale), center=course.center_name, city=course.city
    )
