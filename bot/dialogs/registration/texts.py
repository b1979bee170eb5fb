"""The registration form's own words: what is wrong with an answer, translated at render time."""

from __future__ import annotations

from aiogram.utils.i18n import gettext

from bot.i18n import N_

ERROR_MESSAGES = {
    "national_code.not_digits": N_("A national code has only digits. Please type the 10 digits."),
    "national_code.length": N_("A national code has 10 digits. Please check and type it again."),
    "national_code.same_digits": N_("This national code is not valid. Please check your card."),
    "national_code.checksum": N_(
        "This national code is not valid. Please check the digits on your national card."
    ),
    "mobile.invalid": N_(
        "This is not an Iranian mobile number. Please type it like 09121234567."
    ),
    "name.empty": N_("Please type your first and last name."),
    "name.too_long": N_("This name is too long. Please type only your first and last name."),
    "name.too_short": N_("This name is too short. Please type your first and last name."),
    "name.digits": N_("A name cannot have digits. Please type your first and last name."),
    "name.not_letters": N_("A name has only letters. Please type your first and last name."),
    "name.one_word": N_("Please type both your first name and your last name, like Maryam Ahmadi."),
    "date.format": N_("Please type the date like 1378/4/12 (year/month/day)."),
    "date.not_exist": N_("This date does not exist in the calendar. Please check it."),
    "date.out_of_range": N_("This birth date does not fit the programme's age range (15 to 70)."),
    "date.future": N_(
        "This birth date is in the future. Please check the year and type it again, "
        "like 1378/4/12."
    ),
    "city.invalid": N_("Please type the name of your city or village in letters."),
    "client_number.invalid": N_("The client number has only digits (4 to 20). Please check it."),
    "province.unknown": N_(
        "I could not find a province by that name. Please type it again, like «تهران», or "
        "choose it from the buttons below."
    ),
    "need_text": N_(
        "Please type your answer as text. Stickers, photos and voice are not read here."
    ),
    "need_button": N_("Please choose one of the buttons under the question."),
    "contact.not_yours": N_(
        "This contact is not yours. Please press the button to share your own number, "
        "or type your number."
    ),
}


def error_text(code: str) -> str:
    # Unknown codes still get a polite sentence rather than a raw code.
    family = code.split(".")[0]
    msgid = ERROR_MESSAGES.get(code) or next(
        (m for c, m in ERROR_MESSAGES.items() if c.startswith(family + ".")),
        N_("This answer is not valid. Please try again."),
    )
    return gettext(msgid)
