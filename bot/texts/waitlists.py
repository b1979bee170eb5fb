"""How a waitlist entry reads (the confirmation, «🔔 My waitlists») and the notice that a course
someone waited for has opened."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext

from bot.i18n import current_locale
from bot.keyboards.main_menu import MenuItem, label
from bot.keyboards.waitlists import OpenedCourseCb, WaitlistCb
from bot.texts.courses import course_button_label
from services.catalog import CourseSummary
from services.text import localize_digits
from services.waitlists import JoinOutcome, JoinResult, WaitlistKind, WaitlistView

# A notice lists at most this many courses with a button each; the rest are in the catalog.
NOTICE_MAX = 8


def number(value: int) -> str:
    return localize_digits(str(value), current_locale())


def describe(entry: WaitlistView) -> str:
    """What the person will be told about, in one line."""
    if entry.kind is WaitlistKind.COURSE:
        return gettext("the course «{title}» (code {code}) having seats again").format(
            title=entry.title, code=entry.course_code or "")
    if entry.kind is WaitlistKind.STANDARD:
        return gettext("a new course «{title}» in {province}").format(
            title=entry.title, province=entry.province or "")
    if entry.kind is WaitlistKind.FIELD:
        if entry.province:
            return gettext("a new course in the field «{field}» in {province} or a "
                           "neighbouring province").format(
                field=entry.field_name or entry.title, province=entry.province)
        return gettext("a new course in the field «{field}»").format(
            field=entry.field_name or entry.title)
    return gettext("a new course matching: {what}").format(what=" · ".join(search_parts(entry)))


def search_parts(entry: WaitlistView) -> list[str]:
    """A search entry's words and filters, as the course list's summary line names them."""
    parts = [gettext("Search: «{query}»").format(query=entry.title)] if entry.title else []
    parts.append(gettext("Province {name}").format(name=entry.province) if entry.province
                 else gettext("All provinces"))
    if entry.cluster:
        parts.append(entry.cluster)
    if entry.center_type == "government":
        parts.append(gettext("Government centers"))
    elif entry.center_type == "private":
        parts.append(gettext("Private institutes"))
    if entry.hamnava_only:
        parts.append(gettext("Hamnava-covered"))
    if entry.karafan_only:
        parts.append(gettext("Karafan track"))
    if entry.dormitory_only:
        parts.append(gettext("With dormitory"))
    if entry.starts_within_months:
        parts.append(gettext("Starts within {months} months").format(
            months=number(entry.starts_within_months)))
    return parts


def how_to_stop() -> str:
    return gettext("To stop: «{screen}» in the menu, then «🔔 My waitlists».").format(
        screen=label(MenuItem.NOTIFICATIONS))


def joined_text(result: JoinResult) -> str:
    """The answer to «🔔 Tell me when one opens»."""
    if result.outcome is JoinOutcome.LIMIT:
        return "\n".join([
            gettext("You already have {count} waitlists, the most one person can keep.").format(
                count=number(result.limit)),
            gettext("Remove one in «🔔 My waitlists» (under «{screen}» in the menu), then try "
                    "again.").format(screen=label(MenuItem.NOTIFICATIONS)),
        ])
    if result.outcome is JoinOutcome.NOTHING or result.entry is None:
        return gettext("Sorry, there is nothing here to wait for. Please choose a field or "
                       "type a search first.")
    what = describe(result.entry)
    if result.outcome is JoinOutcome.ALREADY:
        first = gettext("You are already on this waitlist; nothing changed.")
    else:
        first = gettext("✅ Done.")
    return "\n".join([
        first,
        gettext("I will send you a message when there is {what}.").format(what=what),
        gettext("At most one such message a day; never about a course you already applied to."),
        how_to_stop(),
    ])


def list_text(entries: list[WaitlistView], limit: int, notice: str | None = None) -> str:
    lines = [notice, ""] if notice else []
    lines.append(gettext("🔔 My waitlists"))
    if not entries:
        lines.append(gettext("You are not waiting for any course. Where no open course is "
                             "found, press «🔔 Tell me when one opens»."))
        return "\n".join(lines)
    lines.append(gettext("You will be told when there is:"))
    for index, entry in enumerate(entries, start=1):
        lines.append(f"{number(index)}. {describe(entry)}")
    lines.append(gettext("{count} of at most {limit}.").format(
        count=number(len(entries)), limit=number(limit)))
    return "\n".join(lines)


def list_keyboard(entries: list[WaitlistView]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[
        [InlineKeyboardButton(
            text=gettext("✖️ Remove {number}").format(number=number(index)),
            callback_data=WaitlistCb(action="rm", waitlist_id=entry.id).pack(),
        )]
        for index, entry in enumerate(entries, start=1)
    ])


def my_waitlists_button() -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=gettext("🔔 My waitlists"), callback_data=WaitlistCb(action="list").pack()
    )


def notice_text(courses: list[CourseSummary]) -> str:
    """One course or a digest of several, for a person waiting for them."""
    locale = current_locale()
    if len(courses) == 1:
        lines = [gettext("🔔 A course you were waiting for has opened:")]
    else:
        lines = [gettext("🔔 {count} courses you were waiting for have opened:").format(
            count=number(len(courses)))]
    shown = courses[:NOTICE_MAX]
    for index, course in enumerate(shown, start=1):
        lines.append(f"{number(index)}. {course_button_label(course, locale)} · {course.province}")
    if len(courses) > len(shown):
        lines.append(gettext("The rest are in «{courses}» in the menu.").format(
            courses=label(MenuItem.COURSES)))
    lines += [gettext("Tap a course to see it and apply."), how_to_stop()]
    return "\n".join(lines)


def notice_keyboard(courses: list[CourseSummary]) -> InlineKeyboardMarkup:
    locale = current_locale()
    return InlineKeyboardMarkup(inline_keyboard=[
        [InlineKeyboardButton(text=course_button_label(course, locale)[:60],
                              callback_data=OpenedCourseCb(code=course.code).pack())]
        for course in courses[:NOTICE_MAX]
    ])
