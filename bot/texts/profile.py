"""How a person's profile reads: its field names and values, for the person (registration's
review, /profile) and for a caseworker (the application card)."""

from __future__ import annotations

import datetime as dt

from aiogram.utils.i18n import gettext

from bot.i18n import N_, current_locale
from services.jalali import format_jalali
from services.registration import ProfileDraft
from services.text import isolate, localize_digits

GENDER_LABELS = {"female": N_("Female"), "male": N_("Male")}

EDUCATION_LABELS = {
    "none": N_("No schooling"),
    "literacy": N_("Can read and write"),
    "primary": N_("Primary school"),
    "lower_secondary": N_("Lower secondary (grade 9)"),
    "diploma": N_("High-school diploma"),
    "associate": N_("Associate degree"),
    "bachelor_plus": N_("Bachelor's degree or higher"),
}


def field_labels() -> dict[str, str]:
    return {
        "phone": gettext("Mobile"),
        "full_name": gettext("Name"),
        "national_code": gettext("National code"),
        "birth_date": gettext("Birth date"),
        "gender": gettext("Gender"),
        "province": gettext("Province"),
        "city": gettext("City"),
        "education": gettext("Education"),
        "relief_client": gettext("Relief Committee client"),
        "relief_client_number": gettext("Client number"),
        "decile": gettext("Household decile"),
    }


def summary_lines(draft: ProfileDraft) -> list[tuple[str, str]]:
    """(label, value) pairs of a profile, in the reader's language and digits."""
    locale = current_locale()
    labels = field_labels()
    missing = gettext("—")

    def digits(value: str | None) -> str:
        return isolate(localize_digits(value, locale)) if value else missing

    phone = digits(draft.phone)
    if draft.phone:
        verified = gettext("(verified)") if draft.phone_verified else gettext("(not verified)")
        phone += " " + verified
    birth = (
        format_jalali(dt.date.fromisoformat(draft.birth_date), locale)
        if draft.birth_date
        else missing
    )
    if draft.decile_answered:
        decile = digits(str(draft.decile)) if draft.decile else gettext("I don't know")
    else:
        decile = missing
    relief = missing if draft.relief_client is None else (
        gettext("Yes") if draft.relief_client else gettext("No")
    )
    lines = [
        (labels["full_name"], draft.full_name or missing),
        (labels["phone"], phone),
        (labels["national_code"], digits(draft.national_code)),
        (labels["birth_date"], birth),
        (labels["gender"], gettext(GENDER_LABELS[draft.gender]) if draft.gender else missing),
        (labels["province"], draft.province or missing),
        (labels["city"], draft.city or missing),
        (labels["education"],
         gettext(EDUCATION_LABELS[draft.education]) if draft.education else missing),
        (labels["relief_client"], relief),
    ]
    if draft.relief_client:
        number = (
            gettext("I don't know")
            if draft.relief_client_number_unknown and not draft.relief_client_number
            else digits(draft.relief_client_number)
        )
        lines.append((labels["relief_client_number"], number))
    lines.append((labels["decile"], decile))
    return lines
