"""How a course reads: list buttons, the course card and the shareable summary. The course
list, the apply form, counseling and the staff screens all show courses the same way."""

from __future__ import annotations

from aiogram.utils.i18n import gettext

from bot.i18n import N_
from services.catalog import CourseCard, CourseStatus, CourseSummary
from services.jalali import format_jalali
from services.text import (
    display_code,
    format_number,
    format_toman,
    is_persian_locale,
    localize_digits,
)

BUTTON_TITLE_CHARS = 28

CENTER_TYPE_LABELS = {
    "government": N_("Government center"),
    "private": N_("Private institute"),
}

DELIVERY_LABELS = {
    "in_person": N_("🏫 Training at the center"),
    "workplace": N_("🏭 Training in a real workplace"),
    "mixed": N_("🏭 Training partly at the center, partly in a workplace"),
}

STATUS_MARKS = {CourseStatus.OPEN: "", CourseStatus.FULL: "⛔ ", CourseStatus.STARTED: "⏳ "}


def course_title(course: CourseSummary, locale: str | None) -> str:
    """The Persian title; English readers get the English title where the catalog has one."""
    if course.title_en and not is_persian_locale(locale):
        return course.title_en
    return course.title_fa


def short_title(course: CourseSummary, locale: str | None) -> str:
    title = course_title(course, locale)
    if len(title) <= BUTTON_TITLE_CHARS:
        return title
    return title[: BUTTON_TITLE_CHARS - 1].rstrip() + "…"


def course_button_label(course: CourseSummary, locale: str | None) -> str:
    """«خیاط لباس زنانه · مشهد · ۱ دی ۱۴۰۵», with ⛔/⏳ in front of a full or started course."""
    parts = (short_title(course, locale), course.city, format_jalali(course.start_date, locale))
    return STATUS_MARKS[course.status] + " · ".join(parts)


def format_percent(value: int, locale: str | None) -> str:
    if is_persian_locale(locale):
        return localize_digits(str(value), locale) + "٪"
    return f"{value}%"


def format_rial(rial: int, locale: str | None) -> str:
    return gettext("{amount} rial").format(amount=format_number(rial, locale))


def status_line(course: CourseSummary) -> str | None:
    if course.status is CourseStatus.FULL:
        return gettext("⛔ This course is full: no seats are left.")
    if course.status is CourseStatus.STARTED:
        return gettext("⏳ This course has already started: it no longer takes applications.")
    return None


def center_line(course: CourseSummary, locale: str | None) -> str:
    kind = gettext(CENTER_TYPE_LABELS.get(course.center_type, N_("Training center")))
    if course.center_type == "private" and course.center_rank is not None:
        kind = gettext("{kind}, rank {rank}").format(
            kind=kind, rank=localize_digits(str(course.center_rank), locale)
        )
    return gettext("🏛 Center: {name} ({kind})").format(name=course.center_name, kind=kind)


def place_text(course: CourseSummary) -> str:
    if course.city == course.province:
        return course.city  # «تهران», not «تهران، تهران»
    return gettext("{city}, {province}").format(city=course.city, province=course.province)


def coverage_line(card: CourseCard, locale: str | None) -> str:
    pct = card.hamnava_coverage_pct
    if pct <= 0:
        return gettext("🤝 Not covered by the Hamnava scholarship.")
    if card.beneficiary_pays_rial <= 0:
        return gettext("🤝 Hamnava scholarship covers {percent}: free for you.").format(
            percent=format_percent(pct, locale)
        )
    return gettext(
        "🤝 Hamnava scholarship covers {percent}. You would still pay {toman} ({rial})."
    ).format(
        percent=format_percent(pct, locale),
        toman=format_toman(card.beneficiary_pays_rial, locale),
        rial=format_rial(card.beneficiary_pays_rial, locale),
    )


def course_card_text(card: CourseCard, locale: str | None) -> str:
    def digits(value: object) -> str:
        return localize_digits(str(value), locale)

    title = card.title_fa
    if card.title_en and not is_persian_locale(locale):
        title = f"{card.title_en} ({card.title_fa})"
    lines = [f"📘 {title}"]
    status = status_line(card)
    if status:
        lines.append(status)
    lines += [
        gettext("🔖 Course code: {code} · Standard: {standard}").format(
            code=display_code(card.code, locale), standard=display_code(card.standard_code, locale)
        ),
        gettext("🗂 Field: {cluster}").format(cluster=card.cluster_fa),
    ]
    if card.level:
        lines.append(gettext("🎓 Level: {level}").format(level=card.level))
    lines.append(
        gettext("⏱ Hours: {theory} theory, {practice} practice").format(
            theory=digits(card.hours_theory), practice=digits(card.hours_practice)
        )
    )
    if card.min_education:
        lines.append(gettext("📖 Minimum education: {education}").format(
            education=card.min_education
        ))
    lines += [
        center_line(card, locale),
        gettext("📍 Place: {place}").format(place=place_text(card)),
        gettext("📅 Starts: {date}").format(date=format_jalali(card.start_date, locale)),
        gettext("🪑 Seats left: {seats}").format(seats=digits(max(card.seats_left, 0))),
        gettext("💰 Fee: {toman} ({rial})").format(
            toman=format_toman(card.fee_rial, locale), rial=format_rial(card.fee_rial, locale)
        ),
        coverage_line(card, locale),
        gettext("🛏 Dormitory: available") if card.dormitory else gettext("🛏 No dormitory"),
    ]
    if card.karafan:
        lines.append(gettext("🧰 Karafan track: training linked to a job or your own production"))
    delivery = DELIVERY_LABELS.get(card.delivery)
    if delivery:
        lines.append(gettext(delivery))
    return "\n".join(lines)


def share_text(course: CourseSummary, link: str, locale: str | None) -> str:
    """A short summary a person can forward to someone else; the link opens the card."""
    lines = [
        f"📚 {course_title(course, locale)}",
        f"📍 {place_text(course)} · 📅 {format_jalali(course.start_date, locale)}",
        gettext("💰 Fee: {toman}").format(toman=format_toman(course.fee_rial, locale)),
    ]
    if course.hamnava_coverage_pct > 0:
        lines.append(gettext("🤝 Hamnava scholarship covers {percent}").format(
            percent=format_percent(course.hamnava_coverage_pct, locale)
        ))
    # The link stays on a line of its own and outside bidi isolates, so messengers detect it.
    lines += [gettext("See this course in Maharatyar:"), link]
    return "\n".join(lines)
