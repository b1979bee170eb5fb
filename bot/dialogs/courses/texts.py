"""Words of the course screens that depend on data: the filter summary line and the notices."""

from __future__ import annotations

from aiogram.utils.i18n import gettext

from bot.i18n import N_
from services.catalog import CourseFilter
from services.text import localize_digits, normalize_text

QUERY_SHOWN_CHARS = 30

CENTER_TYPE_FILTER_LABELS = {
    "government": N_("Government centers"),
    "private": N_("Private institutes"),
}

# Shown once at the top of the next screen (⚠️ ...), then forgotten.
NOTICES = {
    "course_gone": N_("Sorry, this course is no longer in the catalog. Here is the list again."),
    "link_invalid": N_("This is not a valid course link. Here are the open courses instead."),
    "link_unknown": N_(
        "We could not find the course of this link; it may have been removed. "
        "Here are the open courses."
    ),
    "link_closed": N_(
        "The course of this link no longer takes applications (it is full or has started). "
        "Here are the open courses."
    ),
    "search_empty": N_("Please type a few letters of what you are looking for, like «خیاط»."),
    "search_need_text": N_(
        "Please type your search as text. Stickers, photos and voice are not read here."
    ),
}


def notice_text(code: str | None) -> str:
    if not code:
        return ""
    return gettext(NOTICES.get(code, N_("Something changed meanwhile. Here is the list again.")))


def shown_query(query: str) -> str:
    text = normalize_text(query)
    if len(text) > QUERY_SHOWN_CHARS:
        text = text[: QUERY_SHOWN_CHARS - 1].rstrip() + "…"
    return text


def filter_parts(flt: CourseFilter, locale: str | None) -> list[str]:
    parts = [
        gettext("Province {name}").format(name=flt.province)
        if flt.province
        else gettext("All provinces")
    ]
    if flt.cluster:
        parts.append(flt.cluster)
    if flt.center_type in CENTER_TYPE_FILTER_LABELS:
        parts.append(gettext(CENTER_TYPE_FILTER_LABELS[flt.center_type]))
    if flt.hamnava_only:
        parts.append(gettext("Hamnava-covered"))
    if flt.karafan_only:
        parts.append(gettext("Karafan track"))
    if flt.dormitory_only:
        parts.append(gettext("With dormitory"))
    if flt.starts_within_months:
        parts.append(
            gettext("Starts within {months} months").format(
                months=localize_digits(str(flt.starts_within_months), locale)
            )
        )
    if flt.query:
        parts.append(gettext("Search: «{query}»").format(query=shown_query(flt.query)))
    return parts


def filter_summary(flt: CourseFilter, locale: str | None) -> str:
    """One line, e.g. «استان تهران · فناوری اطلاعات · خوابگاه‌دار · جستجو: «خیاط»»."""
    return " · ".join(filter_parts(flt, locale))
