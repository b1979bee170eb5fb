"""The registration form: one short question per screen, big buttons, a way back on every screen."""

from __future__ import annotations

from aiogram.fsm.state import State
from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button, Column, Group, RequestContact, Row
from aiogram_dialog.widgets.markup.reply_keyboard import ReplyKeyboardFactory
from aiogram_dialog.widgets.text import Format, Multi

from bot.dialogs.registration import handlers as h
from bot.dialogs.registration.getters import choices_getter, common_getter, review_getter
from bot.dialogs.registration.states import RegistrationSG
from bot.dialogs.widgets import (
    ANY_CONTENT,
    PlainReplyButton,
    Tr,
    back_and_main_menu,
    choices,
    main_menu_button,
)
from bot.i18n import N_


def _header() -> list[Format | Tr]:
    return [Format("⚠️ {error}\n", when="error"), Format("{progress}", when="progress")]


def _question(
    state: State, question: str, *extra: object, getter: object = common_getter
) -> Window:
    """A window that asks one question and takes a typed answer."""
    return Window(
        Multi(*_header(), Tr(question), sep="\n"),
        MessageInput(h.on_message, content_types=ANY_CONTENT),
        *extra,
        back_and_main_menu(h.on_back),
        state=state,
        getter=getter,
    )


def _choice(state: State, question: str, *keyboard: object, hint: str | None = None) -> Window:
    lines = [*_header(), Tr(question)] + ([Tr(hint)] if hint else [])
    return Window(
        Multi(*lines, sep="\n"),
        MessageInput(h.on_message, content_types=ANY_CONTENT),
        *keyboard,
        back_and_main_menu(h.on_back),
        state=state,
        getter=choices_getter,
    )


def registration_dialog() -> Dialog:
    return Dialog(
        Window(
            Multi(
                Format("⚠️ {error}\n", when="error"),
                Tr(
                    "Welcome to Maharatyar! 🌱\n"
                    "Here you can register for free skill training of the Technical and "
                    "Vocational Training Organization with the support of the Hayat Foundation."
                ),
                Tr(
                    "Before we start: to register you, we store your name, national code, "
                    "mobile number, birth date, gender, place of living, education and "
                    "household situation. Only caseworkers of the programme see them, to "
                    "check your eligibility and contact you. Do you agree?"
                ),
                sep="\n\n",
            ),
            MessageInput(h.on_message, content_types=ANY_CONTENT),
            Column(
                Button(Tr("✅ I agree"), id="consent_yes", on_click=h.on_consent_yes),
                Button(Tr("✖️ I do not agree"), id="consent_no", on_click=h.on_consent_no),
            ),
            state=RegistrationSG.consent,
            getter=common_getter,
        ),
        Window(
            Multi(
                *_header(),
                Tr(
                    "Please press the «📱 Share my number» button below to send your mobile "
                    "number. You can also type it, like 09121234567."
                ),
                sep="\n",
            ),
            MessageInput(h.on_message, content_types=ANY_CONTENT),
            RequestContact(Tr("📱 Share my number")),
            # The way back on this screen: the main-menu label, handled by the common router.
            PlainReplyButton(Tr("🏠 Main menu")),
            markup_factory=ReplyKeyboardFactory(resize_keyboard=True, one_time_keyboard=True),
            state=RegistrationSG.phone,
            getter=common_getter,
        ),
        _question(RegistrationSG.full_name, N_("What is your first and last name?")),
        _question(
            RegistrationSG.national_code,
            N_("Please type your 10-digit national code (کد ملی)."),
        ),
        _question(
            RegistrationSG.birth_date,
            N_("What is your birth date? Type it like 1378/4/12 (year/month/day)."),
        ),
        _choice(
            RegistrationSG.gender,
            N_("You are:"),
            Row(choices("gender", "genders", h.on_gender)),
        ),
        _choice(
            RegistrationSG.province,
            N_("Which province do you live in?"),
            Group(
                choices("province", "provinces", h.on_province),
                width=2,
            ),
            Row(
                Button(Tr("◀️ Previous"), id=h.PROVINCE_PREV, on_click=h.on_province_page),
                Button(Format("{province_page}"), id=h.PROVINCE_FIRST,
                       on_click=h.on_province_page),
                Button(Tr("Next ▶️"), id=h.PROVINCE_NEXT, on_click=h.on_province_page),
            ),
            hint=N_("Choose it below, or type its name."),
        ),
        _question(RegistrationSG.city, N_("Which city or village do you live in?")),
        _choice(
            RegistrationSG.education,
            N_("What is the last level of school you finished?"),
            Column(choices("education", "education_levels", h.on_education)),
        ),
        _choice(
            RegistrationSG.relief_client,
            N_("Are you (or your household) a client of the Imam Khomeini Relief Committee?"),
            Row(
                Button(Tr("Yes"), id="relief_yes", on_click=h.on_relief_yes),
                Button(Tr("No"), id="relief_no", on_click=h.on_relief_no),
            ),
        ),
        _question(
            RegistrationSG.relief_client_number,
            N_("Please type your Relief Committee client number (شماره مددجویی). If you do "
               "not know it, press «I don't know»."),
            Button(Tr("I don't know"), id="client_number_unknown",
                   on_click=h.on_client_number_unknown),
        ),
        _choice(
            RegistrationSG.decile,
            N_("Which income decile (دهک) is your household in? If you do not know, "
            "press «I don't know»."),
            Group(
                choices("decile", "deciles", h.on_decile),
                width=5,
            ),
            Button(Tr("I don't know"), id="decile_unknown", on_click=h.on_decile_unknown),
        ),
        Window(
            Multi(
                Format("⚠️ {error}\n", when="error"),
                Tr(
                    "We recognised you from your other messenger and linked this account to "
                    "your profile. Here is what we have: confirm it, or press a field to "
                    "change it. Nothing changes until you save.",
                    when="recognised",
                ),
                Tr("Please check your answers. Press a button to change one.",
                   when="not_recognised"),
                Format("{summary}"),
                sep="\n",
            ),
            MessageInput(h.on_message, content_types=ANY_CONTENT),
            Group(
                choices("edit", "edit_items", h.on_edit),
                width=2,
            ),
            Button(Tr("✅ Everything is right, save"), id="confirm", on_click=h.on_confirm),
            main_menu_button(),
            state=RegistrationSG.review,
            getter=review_getter,
        ),
    )

