"""Counseling's own words: short notices shown at the top of a screen (and as a button's pop-up
answer)."""

from __future__ import annotations

from aiogram.utils.i18n import gettext

from bot.i18n import N_
from services.counseling import AnswerProblem

NOTICES = {
    "resumed": N_("Welcome back! We continue where you stopped."),
    "restarted": N_(
        "The questions have been updated since you started, so we begin again from the "
        "first question. Sorry for the trouble."
    ),
    "need_button": N_("Please answer by pressing one of the buttons under the question."),
    "course_gone": N_("This course is no longer in the catalog."),
    AnswerProblem.NOT_CURRENT.value: N_(
        "That button was for another question. Please answer the question below."
    ),
    AnswerProblem.UNKNOWN_OPTION.value: N_(
        "That answer is not one of the choices. Please press one of the buttons below."
    ),
}


OLD_SCREEN = N_("This button is from an old screen. Here is where you are.")


def notice_text(code: str) -> str:
    return gettext(NOTICES.get(code, NOTICES["need_button"]))
