"""The hand-off's buttons. A button names a ticket by id only: the service checks that the
presser is that ticket's person (a forged id changes nothing)."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext

from bot.i18n import N_
from services.text import localize_digits
from services.tickets import TOPICS


class TicketTopicCb(CallbackData, prefix="tkt"):
    topic: str


class TicketEndCb(CallbackData, prefix="tke"):
    ticket: int


class TicketRateCb(CallbackData, prefix="tkr"):
    ticket: int
    stars: int


# Translated when drawn, in the reader's language.
TOPIC_LABELS = {
    "application": N_("My application"),
    "documents": N_("Documents"),
    "course": N_("A course"),
    "counseling": N_("Career counseling"),
    "job": N_("Work and jobs"),
    "identity": N_("My registration"),
    "other": N_("Something else"),
}
assert set(TOPIC_LABELS) == set(TOPICS)


def topic_label(topic: str) -> str:
    return gettext(TOPIC_LABELS.get(topic, TOPIC_LABELS["other"]))


def topics_keyboard() -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(
            text=topic_label(topic), callback_data=TicketTopicCb(topic=topic).pack()
        )
        for topic in TOPICS
    ]
    rows = [buttons[i:i + 2] for i in range(0, len(buttons), 2)]
    return InlineKeyboardMarkup(inline_keyboard=rows)


def end_keyboard(ticket_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(
        text=gettext("✖️ End conversation"), callback_data=TicketEndCb(ticket=ticket_id).pack()
    )]])


def rating_keyboard(ticket_id: int, locale: str | None) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[
        InlineKeyboardButton(
            text=localize_digits(f"{stars}⭐", locale),
            callback_data=TicketRateCb(ticket=ticket_id, stars=stars).pack(),
        )
        for stars in range(1, 6)
    ]])
