"""How a job lead reads, for the person (a notice, a digest, the «💼 Job leads» list) and for
staff (the form's preview, the lists)."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext

from bot.i18n import current_locale
from bot.keyboards.job_leads import JobInterestCb
from services.jalali import format_jalali
from services.job_leads import LeadView
from services.text import localize_digits

# A digest lists at most this many leads with a button each (a message has room for them);
# the rest are in «💼 Job leads».
DIGEST_MAX = 8


def number(value: int) -> str:
    return localize_digits(str(value), current_locale())


def lead_lines(lead: LeadView) -> list[str]:
    locale = current_locale()
    place = lead.province + ("، " + lead.city if lead.city else "")
    lines = [
        gettext("💼 {title} — {employer}").format(title=lead.title, employer=lead.employer),
        gettext("📍 Place: {place}").format(place=place),
        gettext("🧰 Field: {fields}").format(fields="، ".join(lead.fields)),
    ]
    if lead.wage_text:
        lines.append(gettext("💰 Wage: {wage}").format(wage=lead.wage_text))
    lines += [
        gettext("⏳ Apply by: {date}").format(date=format_jalali(lead.deadline, locale)),
        gettext("📝 How to apply: {how}").format(how=lead.how_to_apply),
    ]
    return lines


def lead_text(lead: LeadView) -> str:
    return "\n".join(lead_lines(lead))


def interest_button(lead: LeadView, several: bool) -> InlineKeyboardButton:
    text = (
        gettext("🙋 Interested: {title}").format(title=lead.title[:40]) if several
        else gettext("🙋 I'm interested")
    )
    return InlineKeyboardButton(
        text=text, callback_data=JobInterestCb(lead_id=lead.id).pack()
    )


def notice_text(leads: list[LeadView]) -> str:
    """A single lead, or a digest of several, for a person it matches."""
    if len(leads) == 1:
        heading = gettext("A job lead that matches your skill:")
        return "\n".join([heading, "", *lead_lines(leads[0])])
    shown = leads[:DIGEST_MAX]
    heading = gettext("{count} job leads that match your skill:")
    parts = [heading.format(count=number(len(leads)))]
    for index, lead in enumerate(shown, start=1):
        parts += ["", number(index) + ". " + lead_text(lead)]
    if len(leads) > len(shown):
        parts += ["", gettext("The rest are in «💼 Job leads» in the menu.")]
    parts += ["", gettext("To stop job leads: «🔔 Notifications» in the menu.")]
    return "\n".join(parts)


def notice_keyboard(leads: list[LeadView]) -> InlineKeyboardMarkup:
    several = len(leads) > 1
    return InlineKeyboardMarkup(inline_keyboard=[
        [interest_button(lead, several)] for lead in leads[:DIGEST_MAX]
    ])
